"""The person page: the record, the family, consents, contacts, and who accessed it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from proxima.people.models import Person
from proxima.people.services.records import person_file


@login_required
def person_detail(request, person_id):
    try:
        file = person_file(person_id, by=request.user, reason="person page")
    except Person.DoesNotExist as error:
        raise Http404 from error
    return render(request, "people/person.html", {"file": file, "person": file.person})

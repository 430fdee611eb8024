from django.core.cache import cache


def demo_banner(request):
    """Whether the directory holds demo data (the banner on every page)."""
    is_demo = cache.get("proxima:has-demo-data")
    if is_demo is None:
        from proxima.directory.models import Organization

        is_demo = Organization.objects.filter(is_demo=True).exists()
        cache.set("proxima:has-demo-data", is_demo, 60)
    return {"demo_data": is_demo}

from django.views.generic import DetailView, ListView

from .models import Startup


class StartupListView(ListView):
    template_name = "products/startup_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Startup.objects.select_related("incubator").order_by("name")


class StartupDetailView(DetailView):
    template_name = "products/startup_detail.html"
    slug_field = "slug"

    def get_queryset(self):
        return Startup.objects.select_related("incubator")

"""Links of the dashboards that pages of lower layers show (modules' and assessments' breadcrumbs
"My learning"): passed down in every template's context, so those templates name no URL of ours."""

from django.urls import reverse


def my_learning(request):
    return {"my_learning_url": reverse("my_learning")}

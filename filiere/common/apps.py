from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "filiere.common"
    verbose_name = "Commun"

app_name = "partylife"
urlpatterns: list = []

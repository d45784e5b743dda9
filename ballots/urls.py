app_name = "ballots"
urlpatterns: list = []

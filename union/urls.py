app_name = "union"
urlpatterns: list = []

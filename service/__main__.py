"""`python -m service`: run the service with the settings from the environment."""

from kg.settings import Settings
from service.main import serve

serve(Settings())

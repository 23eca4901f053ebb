"""A demo city shaped like the seeds: `python manage.py seed_demo --scale small|city`."""

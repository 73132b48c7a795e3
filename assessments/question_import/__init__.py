"""Importing a quiz's questions from GIFT, Aiken and Moodle XML files, and exporting them: the
preview and the saving (services.py) and the admin view (views.py); the formats themselves are read and
written by assessments.interchange."""

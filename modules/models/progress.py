from django.db import models


class LessonCompletion(models.Model):
    """An employee marked a lesson done. Course progress is derived from these rows, never stored."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey("modules.LessonPage", on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "lesson"], name="one_completion_per_lesson")]

    def __str__(self):
        return f"{self.employee} completed {self.lesson_id}"

from wagtail import hooks
from wagtail.log_actions import LogFormatter


@hooks.register("register_log_actions")
def register_assignment_actions(actions):
    @actions.register_action("academy.assignment.remind")
    class Remind(LogFormatter):
        label = "Send assignment reminder"

        def format_message(self, log_entry):
            return f"Reminder sent to {log_entry.data.get('to', '')}"

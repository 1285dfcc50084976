"""Request phrasings, split into train and held-out test templates.

A template id is ``<intent>/<split>/<index>``; test templates never appear in train, so the
test split measures whether the model generalises to new wording. Slots: ``{title}`` (verb
phrase), ``{Title}`` (capitalised), ``{details}`` (optional date/priority/tags/notes),
``{date}``, ``{time}``, ``{priority}``, ``{tag}``, ``{id}``, ``{query}``, ``{ref}`` (a task named by
its topic: "the budget review task"), ``{text}``, ``{sub}``.
"""

TEMPLATES = {
    "create": {
        "train": [
            "Create a task to {title}{details}",
            "Add a task: {title}{details}",
            "New task: {title}{details}",
            "Please add '{Title}' to my tasks{details}",
            "I need to {title}{details}, can you add that?",
            "Put {title} on my to-do list{details}",
            'Could you create a task called "{Title}"{details}?',
            "Can you add a task to {title}{details}?",
            "Add to my list: {title}{details}",
            "Note down a task to {title}{details}",
            "Make a task to {title}{details}",
            "Please put '{Title}' on my list{details}",
            "I've got to {title}{details}",
            "Log a task: {title}{details}",
            "Schedule a task to {title}{details}",
            "Jot down: {title}{details}",
            "Don't let me forget to {title}{details}",
            "Start a new task to {title}{details}",
            "Write down that I need to {title}{details}",
            "Add '{Title}' as a task{details}",
        ],
        "test": [
            "Track a new to-do for me: {title}{details}",
            "Set up a task to {title}{details}, please",
        ],
    },
    "create_with_priority": {
        "train": [
            "Make a {priority} priority task to {title}{details}",
            "Add a {priority}-priority task: {title}{details}",
            "I have a {priority} priority item: {title}{details}",
            "New {priority}-priority task: {title}{details}",
            "Add a task with {priority} priority: {title}{details}",
            "Please log a {priority} priority task to {title}{details}",
            "Make a task to {title} and give it {priority} priority{details}",
        ],
        "test": ["Create a {priority}-priority task to {title}{details}"],
    },
    "list": {
        "train": {
            "all": ["Show me all my tasks", "List everything on my to-do list", "What tasks do I have?",
                    "Give me my full task list", "Show my tasks", "What's on my to-do list?", "Read me my tasks"],
            "due_today": ["What's due today?", "Which tasks are due today?", "Show today's tasks",
                          "What do I have to do today?", "List what's due today", "Is anything due today?"],
            "due_this_week": ["What do I need to get done this week?", "List the tasks due this week",
                              "Show me this week's tasks", "What's due this week?", "This week's deadlines?"],
            "overdue": ["Which tasks are overdue?", "Show me what I've missed", "List my late tasks",
                        "What's overdue?", "Which deadlines did I miss?", "What am I behind on?"],
            "completed": ["Show the tasks I've finished", "List my completed tasks", "What have I already done?",
                          "Show me what I've completed", "List the finished tasks", "Which tasks are done?"],
        },
        "test": {
            "all": ["What's on my plate overall?"],
            "due_today": ["Anything I have to finish today?"],
            "due_this_week": ["What tasks do I have due this week?"],
            "overdue": ["Anything past its deadline?"],
            "completed": ["Which tasks did I complete?"],
        },
    },
    "list_tagged": {
        "train": {
            "all": ["List my {tag} tasks", "Show all tasks tagged {tag}", "Which tasks have the tag {tag}?",
                    "Filter my tasks by the {tag} tag"],
            "overdue": ["Which {tag} tasks are overdue?"],
            "due_this_week": ["What {tag} tasks are due this week?"],
            "due_today": ["Show the {tag} tasks due today", "What {tag} tasks do I have to do today?"],
            "completed": ["Which {tag} tasks are done?"],
        },
        "test": {
            "all": ["Show everything tagged {tag}"],
            "due_today": ["Any {tag} tasks due today?"],
        },
    },
    "search": {
        "train": ["Find my task about {query}", "Search my tasks for {query}", "Do I have a task about {query}?",
                  "Look up the {query} task", "Which task mentions {query}?", "Look for {query} in my tasks",
                  "Find {query}", "Which of my tasks is about {query}?", "Have I got a task for {query}?",
                  "Where's my {query} task?", "Find tasks matching {query}"],
        "test": ["Is there anything on my list about {query}?", "Search for {query}"],
    },
    "update_status": {
        "train": {
            "done": ["Mark {id} as done", "I finished {id}", "{id} is complete", "Close out {id}",
                     "Mark {id} complete", "Done with {id}", "Cross {id} off my list", "Complete {id}",
                     "Set {id} to done"],
            "in_progress": ["I've started working on {id}", "Set {id} to in progress", "Start {id}",
                            "Mark {id} as in progress", "I'm working on {id} now"],
            "todo": ["Reopen {id}", "Set {id} back to todo", "Mark {id} as todo again",
                     "{id} isn't done after all, reopen it"],
        },
        "test": {
            "done": ["Tick off {id}, it's finished"],
            "in_progress": ["Move {id} to in progress"],
            "todo": ["Put {id} back on the todo list"],
        },
    },
    "update_priority": {
        "train": ["Change the priority of {id} to {priority}", "Make {id} {priority} priority",
                  "Set {id} to {priority} priority", "Give {id} {priority} priority",
                  "{id} should be {priority} priority", "Update the priority of {id} to {priority}",
                  "Set the priority on {id} to {priority}"],
        "test": ["Bump {id} to {priority} priority"],
    },
    "update_due_date": {
        "train": ["Move {id} to {date}", "Change the due date of {id} to {date}", "Push {id} back to {date}",
                  "{id} is now due {date}", "Postpone {id} to {date}", "Set the deadline of {id} to {date}",
                  "Make {id} due {date}", "Delay {id} until {date}", "Shift {id} to {date}"],
        "test": ["Reschedule {id} for {date}"],
    },
    "update_title": {
        "train": ['Rename {id} to "{Title}"', "Change the title of {id} to '{Title}'", "Retitle {id} as '{Title}'",
                  'Update the title of {id} to "{Title}"', "Rename {id}: {Title}"],
        "test": ['Call {id} "{Title}" instead'],
    },
    "delete": {
        "train": ["Delete {id}", "Remove {id} from my list", "Get rid of {id}", "Please delete {id}",
                  "Trash {id}", "Delete {id}, it's no longer needed", "Scrap {id}", "Throw away {id}",
                  "Remove {id}, I won't do it"],
        "test": ["Drop {id}, I don't need it anymore"],
    },
    "delete_all": {
        "train": {
            "completed": ["Clear all my completed tasks", "Delete the tasks I've finished",
                          "Remove everything that's done", "Clear out everything I've completed",
                          "Delete every completed task", "Get rid of all done tasks", "Remove all finished tasks"],
            "all": ["Delete all my tasks", "Wipe my entire task list", "Remove every task", "Clear my whole list",
                    "Delete everything", "Remove all tasks, I want a clean slate", "Empty my task list"],
        },
        "test": {"completed": ["Purge my finished tasks"], "all": ["Start over and erase all tasks"]},
    },
    "add_subtask": {
        "train": ["Add a subtask to {id}: {sub}", "Under {id}, add a step to {sub}", "Break {id} down: add '{sub}'",
                  "Add a step to {id}: {sub}", "Create a subtask under {id}: {sub}", "{id} needs a subtask: {sub}",
                  "Add '{sub}' as a subtask of {id}", "Put a subtask on {id}: {sub}"],
        "test": ["Give {id} a subtask called '{sub}'"],
    },
    "add_comment": {
        "train": ["Comment on {id}: {text}", "Add a note to {id} saying {text}", "Leave a comment on {id}: {text}",
                  "Write a comment on {id}: {text}", "Comment '{text}' on {id}", "Add the comment '{text}' to {id}",
                  "Annotate {id}: {text}", "Log a comment for {id}: {text}"],
        "test": ["Attach the note '{text}' to {id}"],
    },
    "set_reminder": {
        "train": ["Remind me about {id} {date} at {time}", "Set a reminder for {id} {date} at {time}",
                  "Ping me about {id} at {time} {date}", "Remind me of {id} {date} at {time}",
                  "Alert me about {id} {date} at {time}", "Give me a reminder about {id} at {time} {date}",
                  "Nudge me about {id} {date} at {time}", "Schedule a reminder for {id} {date} at {time}"],
        "test": ["I want a reminder on {id} {date} at {time}"],
    },
    "by_name": {
        "train": {
            "done": ["Mark {ref} as done", "I finished {ref}", "Complete {ref}", "I'm done with {ref}"],
            "priority": ["Make {ref} {priority} priority", "Change the priority of {ref} to {priority}",
                         "Set {ref} to {priority} priority", "Give {ref} {priority} priority"],
            "due_date": ["Move {ref} to {date}", "Change the due date of {ref} to {date}", "Postpone {ref} to {date}",
                         "Push {ref} back to {date}"],
            "delete": ["Delete {ref}", "Remove {ref}", "Get rid of {ref}", "Trash {ref}"],
            "comment": ["Add a comment to {ref}: {text}", "Comment on {ref}: {text}",
                        "Add a note to {ref} saying {text}"],
            "reminder": ["Remind me about {ref} {date} at {time}", "Set a reminder for {ref} {date} at {time}",
                         "Ping me about {ref} at {time} {date}"],
        },
        "test": {
            "done": ["Mark {ref} as done please, it's finished"],
            "priority": ["Bump {ref} to {priority} priority"],
            "due_date": ["Reschedule {ref} for {date}"],
            "delete": ["Drop {ref}"],
            "comment": ["Note on {ref}: {text}"],
            "reminder": ["I want a reminder on {ref} {date} at {time}"],
        },
    },
    "follow_up": {
        "train": {
            "priority": ["Make it {priority} priority", "Actually, set its priority to {priority}",
                         "Give it {priority} priority"],
            "due_date": ["Actually, move it to {date}", "Change its due date to {date}", "Postpone it to {date}"],
            "done": ["Mark it as done", "Actually that one is already done", "I already finished that"],
            "comment": ["Add a comment to it: {text}", "Comment on it: {text}", "Add a note to it saying {text}"],
            "reminder": ["Remind me about it {date} at {time}", "Remind me of it {date} at {time}"],
        },
        "test": {
            "priority": ["Hmm, bump that to {priority} priority"],
            "due_date": ["Can you push it to {date}?"],
            "done": ["Oh wait, I already did that one"],
            "comment": ["Put a note on it: {text}"],
            "reminder": ["Set a reminder for it {date} at {time}"],
        },
    },
    "clarify": {
        "train": [
            ("Create a new task", "Sure! What should the task be called?"),
            ("Add a task for me", "Sure! What should the task be called?"),
            ("Set a reminder for {id}", "When should I remind you about {id}?"),
            ("Add a comment to {id}", "What should the comment on {id} say?"),
            ("Add a subtask to {id}", "What should the subtask of {id} be?"),
            ("Delete a task", "Which task should I delete? Please tell me its id or name."),
            ("Update my task", "Which task should I update, and what should change?"),
            ("Remind me about {id}", "When should I remind you about {id}?"),
            ("I need a new task", "Sure! What should the task be called?"),
            ("Please add a new task", "Sure! What should the task be called?"),
            ("Remind me of {id}", "When should I remind you about {id}?"),
            ("Ping me about {id}", "When should I remind you about {id}?"),
            ("Set a reminder on {id}", "When should I remind you about {id}?"),
            ("Leave a comment on {id}", "What should the comment on {id} say?"),
            ("Comment on {id}", "What should the comment on {id} say?"),
            ("Add a note to {id}", "What should the comment on {id} say?"),
            ("Break {id} down into steps", "What should the subtask of {id} be?"),
            ("Remove a task", "Which task should I delete? Please tell me its id or name."),
            ("Change a task", "Which task should I update, and what should change?"),
        ],
        "test": [
            ("Can you make a task?", "Sure! What should the task be called?"),
            ("I'd like a reminder for {id}", "When should I remind you about {id}?"),
            ("Put a note on {id}", "What should the comment on {id} say?"),
        ],
    },
}

DETAIL_FRAGMENTS = {
    "priority": [", {priority} priority", " with {priority} priority", " and mark it {priority} priority",
                 " ({priority} priority)"],
    "tags": [" tagged {tag}", ", tag it {tag}", " with the tag {tag}"],
    "two_tags": [" tagged {tag} and {tag2}", " with tags {tag} and {tag2}"],
    "description": [". Note: {description}", " with the note '{description}'", ". Details: {description}"],
    "date": [" {date}", " due {date}"],
}

PARALLEL_JOINERS = [" and ", ", and also ", ". Also, ", ", then "]

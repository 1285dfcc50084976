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
        ],
        "test": ["Create a {priority}-priority task to {title}{details}"],
    },
    "list": {
        "train": {
            "all": ["Show me all my tasks", "List everything on my to-do list", "What tasks do I have?",
                    "Give me my full task list"],
            "due_today": ["What's due today?", "Which tasks are due today?", "Show today's tasks"],
            "due_this_week": ["What do I need to get done this week?", "List the tasks due this week",
                              "Show me this week's tasks"],
            "overdue": ["Which tasks are overdue?", "Show me what I've missed", "List my late tasks"],
            "completed": ["Show the tasks I've finished", "List my completed tasks", "What have I already done?"],
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
            "all": ["List my {tag} tasks", "Show all tasks tagged {tag}"],
            "overdue": ["Which {tag} tasks are overdue?"],
            "due_this_week": ["What {tag} tasks are due this week?"],
            "due_today": ["Show the {tag} tasks due today"],
            "completed": ["Which {tag} tasks are done?"],
        },
        "test": {
            "all": ["Show everything tagged {tag}"],
            "due_today": ["Any {tag} tasks due today?"],
        },
    },
    "search": {
        "train": ["Find my task about {query}", "Search my tasks for {query}", "Do I have a task about {query}?",
                  "Look up the {query} task", "Which task mentions {query}?"],
        "test": ["Is there anything on my list about {query}?", "Search for {query}"],
    },
    "update_status": {
        "train": {
            "done": ["Mark {id} as done", "I finished {id}", "{id} is complete", "Close out {id}"],
            "in_progress": ["I've started working on {id}", "Set {id} to in progress"],
            "todo": ["Reopen {id}", "Set {id} back to todo"],
        },
        "test": {
            "done": ["Tick off {id}, it's finished"],
            "in_progress": ["Move {id} to in progress"],
            "todo": ["Put {id} back on the todo list"],
        },
    },
    "update_priority": {
        "train": ["Change the priority of {id} to {priority}", "Make {id} {priority} priority",
                  "Set {id} to {priority} priority"],
        "test": ["Bump {id} to {priority} priority"],
    },
    "update_due_date": {
        "train": ["Move {id} to {date}", "Change the due date of {id} to {date}", "Push {id} back to {date}",
                  "{id} is now due {date}"],
        "test": ["Reschedule {id} for {date}"],
    },
    "update_title": {
        "train": ['Rename {id} to "{Title}"', "Change the title of {id} to '{Title}'"],
        "test": ['Call {id} "{Title}" instead'],
    },
    "delete": {
        "train": ["Delete {id}", "Remove {id} from my list", "Get rid of {id}", "Please delete {id}"],
        "test": ["Drop {id}, I don't need it anymore"],
    },
    "delete_all": {
        "train": {
            "completed": ["Clear all my completed tasks", "Delete the tasks I've finished",
                          "Remove everything that's done"],
            "all": ["Delete all my tasks", "Wipe my entire task list", "Remove every task"],
        },
        "test": {"completed": ["Purge my finished tasks"], "all": ["Start over and erase all tasks"]},
    },
    "add_subtask": {
        "train": ["Add a subtask to {id}: {sub}", "Under {id}, add a step to {sub}", "Break {id} down: add '{sub}'"],
        "test": ["Give {id} a subtask called '{sub}'"],
    },
    "add_comment": {
        "train": ["Comment on {id}: {text}", "Add a note to {id} saying {text}", "Leave a comment on {id}: {text}"],
        "test": ["Attach the note '{text}' to {id}"],
    },
    "set_reminder": {
        "train": ["Remind me about {id} {date} at {time}", "Set a reminder for {id} {date} at {time}",
                  "Ping me about {id} at {time} {date}"],
        "test": ["I want a reminder on {id} {date} at {time}"],
    },
    "by_name": {
        "train": {
            "done": ["Mark {ref} as done", "I finished {ref}"],
            "priority": ["Make {ref} {priority} priority", "Change the priority of {ref} to {priority}"],
            "due_date": ["Move {ref} to {date}"],
            "delete": ["Delete {ref}", "Remove {ref}"],
            "comment": ["Add a comment to {ref}: {text}"],
            "reminder": ["Remind me about {ref} {date} at {time}"],
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
            "priority": ["Make it {priority} priority", "Actually, set its priority to {priority}"],
            "due_date": ["Actually, move it to {date}", "Change its due date to {date}"],
            "done": ["Mark it as done", "Actually that one is already done"],
            "comment": ["Add a comment to it: {text}"],
            "reminder": ["Remind me about it {date} at {time}"],
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

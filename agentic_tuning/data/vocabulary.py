"""Free-text values for the synthetic data, each pool split into train and held-out test values.

Titles are verb phrases as a user would say them ("review the Q4 budget"); the reference
argument capitalises the first letter. A test value never appears in train. The system
instructions and chit-chat are wordings rather than values, so like the request phrasings they
also have held-out dev and dev_wide entries of their own (the two dev splits draw their values from
the test pools).
"""

TITLES = {
    "train": [
        "call the dentist", "book flights to Berlin", "send the invoice to Acme", "water the plants",
        "renew the car insurance", "prepare slides for the all-hands", "pay the electricity bill",
        "update the project roadmap", "clean the garage", "buy a birthday gift for Sam",
        "schedule the team offsite", "review the pull request", "write the quarterly report",
        "order new office chairs", "fix the login bug", "draft the newsletter", "back up the laptop",
        "plan the sprint retro", "email the landlord", "submit the expense report", "pick up dry cleaning",
        "update the onboarding docs", "cancel the gym membership", "book a table for Friday dinner",
        "call mom", "finish the tax return", "migrate the database", "prepare the client demo",
        "read the security audit", "replace the kitchen light", "order printer toner",
        "write unit tests for the parser", "reply to the recruiter", "organise the team lunch",
        "check the server logs", "update the price list", "book a haircut", "return the library books",
        "plan the product launch", "review the hiring plan", "send the contract to legal",
        "set up the new laptop", "archive old emails", "file the warranty claim", "walk the dog",
        "clean up the shared drive", "prepare the board meeting agenda", "refactor the payment module",
        "translate the user guide", "restock the coffee", "review the marketing budget",
        "call the plumber", "sign the lease", "update my resume", "book the conference room",
        "test the mobile app", "write the blog post", "collect feedback from the beta users",
        "renew my passport", "plan the summer trip", "order groceries", "fix the flaky CI job",
        "update the privacy policy", "prepare the sales forecast", "send thank-you notes",
        "clean the fridge", "review the vendor quotes", "schedule the car service",
        "buy train tickets to Paris", "rotate the API keys", "interview the design candidate",
        "draft the press release", "defrost the freezer", "record the podcast episode",
        "reconcile the bank statement", "measure the living room", "upgrade the Python version",
        "pay the nanny", "print the boarding passes", "label the storage boxes",
    ],
    "test": [
        "review the Q4 budget", "renew the domain name", "prepare the investor update",
        "book the vet appointment", "assemble the bookshelf", "audit the cloud costs",
        "write the release notes", "call the bank about the card", "repaint the fence",
        "set up the staging server", "plan the charity run", "order business cards",
        "review the budget", "update the team wiki", "buy running shoes", "check the smoke alarms",
        "prepare the tax documents", "send the quarterly survey", "clean the windows",
        "benchmark the new model", "schedule the eye exam", "draft the grant proposal",
    ],
}

DESCRIPTIONS = {
    "train": [
        "use the template from last year", "ask Priya for the numbers first", "bring the signed copy",
        "check both suppliers", "keep it under 20 minutes", "include the Q3 comparison",
        "the code is in the shared folder", "confirm the address before going", "cc the finance team",
        "needs the new logo", "use the corporate card", "compare at least three offers",
    ],
    "test": [
        "focus on the travel costs", "ask Tom to review it", "attach the receipts",
        "keep a copy for the archive", "use the blue folder",
    ],
}

TAGS = {
    "train": ["work", "home", "finance", "health", "travel", "errands", "urgent", "family", "admin",
              "engineering", "marketing", "shopping", "personal", "hiring"],
    "test": ["budget", "garden", "legal", "school"],
}

COMMENTS = {
    "train": [
        "waiting on the vendor", "half done, will finish tomorrow", "blocked by the API outage",
        "moved the meeting to Thursday", "the draft is in the shared folder", "need approval from Dana",
        "pricing looks too high", "sent the first version", "call went to voicemail",
        "done except the appendix", "customer asked for a discount", "new deadline agreed with the client",
    ],
    "test": [
        "numbers look good so far", "still missing two receipts", "Alex will take over next week",
        "printer is out of ink", "approved by the manager",
    ],
}

SUBTASKS = {
    "train": [
        "collect the receipts", "draft the outline", "get quotes", "book the room", "send the invite",
        "write the summary", "check the numbers", "buy the supplies", "ask for feedback",
        "update the spreadsheet", "proofread the text", "call the supplier",
    ],
    "test": ["gather the invoices", "print the handouts", "test the backup", "sort the photos"],
}

SYSTEM_INSTRUCTIONS = {
    "train": [
        "You are a task-manager assistant. Use the tools to act on the user's requests.",
        "You manage the user's to-do list through the tools above.",
        "You are an agent that keeps the user's tasks up to date. Call tools instead of describing actions.",
        "Help the user manage tasks. When a request needs an action, call the right tool.",
        "You are the backend of a task app. Respond with tool calls whenever a tool can do the job.",
    ],
    "test": [
        "You are a productivity assistant with access to the user's task list.",
        "Act on the user's task requests with the available tools.",
    ],
    "dev": [
        "You are an assistant that handles the user's to-do items with the given tools.",
        "Use the provided tools to carry out what the user asks of their task list.",
    ],
    "dev_wide": [
        "You are a helpful assistant for the user's task list. Use the tools to make the changes they ask for.",
        "You look after the user's tasks. Whenever a tool fits the request, call it.",
        "As a to-do list assistant, you handle task requests by calling the matching tool.",
    ],
}

CHIT_CHAT = {
    "train": [
        ("Hi there!", "Hello! I can create, find, update and delete your tasks. What would you like to do?"),
        ("Thanks, that's all for now.", "You're welcome! Let me know whenever you need anything else."),
        ("What's the capital of France?", "I can only help with your tasks, so I can't answer that here."),
        ("Tell me a joke.", "I'm just your task assistant, so no jokes from me, but I can help you get things done."),
        ("How are you today?", "I'm doing well, thanks! What can I do for your task list?"),
        ("What can you do?", "I can create tasks, list and search them, update or delete them, add subtasks and comments, and set reminders."),
        ("Good morning!", "Good morning! What would you like to do with your tasks today?"),
        ("Who won the football game last night?", "I can only help with your tasks, so I can't answer that here."),
        ("Can you write me a poem about the sea?", "I'm only able to help with your tasks, so I'll leave the poetry to someone else."),
        ("What's 17 times 23?", "I can only help with your tasks, so I can't answer that here."),
        ("Ok, cool.", "Great! Tell me if there's anything else to do on your list."),
        ("Never mind.", "No problem. I'm here if you need me."),
        ("Are you a robot?", "I'm an AI assistant that manages your tasks."),
        ("Explain how photosynthesis works.", "I can only help with your tasks, so I can't answer that here."),
        ("Hello!", "Hello! I can create, find, update and delete your tasks. What would you like to do?"),
        ("Thanks a lot!", "You're welcome! Let me know whenever you need anything else."),
        ("See you later.", "Goodbye! I'm here whenever you need me."),
        ("Goodbye!", "Goodbye! I'm here whenever you need me."),
        ("How tall is Mount Everest?", "I can only help with your tasks, so I can't answer that here."),
        ("Suggest a restaurant for dinner.", "I can only help with your tasks, so I can't answer that here."),
        ("Translate 'good night' into Spanish.", "I can only help with your tasks, so I can't answer that here."),
        ("Who wrote Hamlet?", "I can only help with your tasks, so I can't answer that here."),
        ("What time is it in Tokyo?", "I can only help with your tasks, so I can't answer that here."),
        ("Play some music.", "I can only help with your tasks, so I can't answer that here."),
    ],
    "test": [
        ("Hey, what's up?", "Hello! I can create, find, update and delete your tasks. What would you like to do?"),
        ("What's the weather like in London?", "I can only help with your tasks, so I can't answer that here."),
        ("Thank you so much!", "You're welcome! Let me know whenever you need anything else."),
        ("Recommend a good movie.", "I can only help with your tasks, so I can't answer that here."),
        ("Which language is spoken in Brazil?", "I can only help with your tasks, so I can't answer that here."),
        ("Bye for now.", "Goodbye! I'm here whenever you need me."),
    ],
    "dev": [
        ("Hi, how's it going?", "Hello! I can create, find, update and delete your tasks. What would you like to do?"),
        ("Can you book me a flight to Paris?", "I can only help with your tasks, so I can't answer that here."),
        ("Cheers, that's everything.", "You're welcome! Let me know whenever you need anything else."),
        ("What's the tallest building in the world?", "I can only help with your tasks, so I can't answer that here."),
        ("Who painted the Mona Lisa?", "I can only help with your tasks, so I can't answer that here."),
        ("Talk to you later.", "Goodbye! I'm here whenever you need me."),
    ],
    "dev_wide": [
        ("Hey there, good afternoon!", "Hello! I can create, find, update and delete your tasks. What would you like to do?"),
        ("Can you order me a pizza?", "I can only help with your tasks, so I can't answer that here."),
        ("Reserve a hotel room in Rome for me.", "I can only help with your tasks, so I can't answer that here."),
        ("How many planets are in the solar system?", "I can only help with your tasks, so I can't answer that here."),
        ("Alright, sounds good.", "Great! Tell me if there's anything else to do on your list."),
        ("Great, thanks for the help!", "You're welcome! Let me know whenever you need anything else."),
        ("That's all, bye!", "Goodbye! I'm here whenever you need me."),
        ("Who invented the telephone?", "I can only help with your tasks, so I can't answer that here."),
        ("Send an email to my boss.", "I can only help with your tasks, so I can't answer that here."),
        ("What are you able to help me with?", "I can create tasks, list and search them, update or delete them, add subtasks and comments, and set reminders."),
    ],
}

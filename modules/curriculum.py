"""The shipped course content of Loyalty Academy: pure data, loaded into the page tree by
modules.loading.curriculum_load (``manage.py load_academy``).

CATALOG and COURSE are read by the loader; each lesson body is a list of (block_type, value)
tuples matching the blocks of modules.blocks.LessonBodyBlock. Rich-text values are HTML strings;
every other text value is plain text.
"""

CATALOG = {
    "title": "Loyalty Academy",
    "intro": (
        "<p>Welcome to <b>Loyalty Academy</b>: short, practical training for everyone who meets "
        "customers, whether you pour coffee, check in hotel guests, run a till or answer the phone "
        "at a service desk.</p>"
        "<p>Each course mixes plain-language reading with things to try: walk a customer's visit "
        "stop by stop, work out what a regular is really worth, and practise handling real customer "
        "problems where every choice has a consequence.</p>"
    ),
}


# ---------------------------------------------------------------------------------------------
# Lesson 1
# ---------------------------------------------------------------------------------------------

LESSON_LOYALTY_NOT_SATISFACTION = {
    "title": "Loyalty is not satisfaction",
    "slug": "loyalty-is-not-satisfaction",
    "summary": (
        "Why a satisfied customer only earns a grade C, what a loyal customer does differently, "
        "and why perceived value decides who comes back."
    ),
    "estimated_minutes": 14,
    "body": [
        ("heading", {"text": "Satisfied is a C. Loyal is an A.", "level": "h2"}),
        (
            "text",
            "<p>Think of the last time you bought something and walked away thinking, "
            "<i>“Fine. That was what I expected.”</i> Nothing went wrong. Nothing stood out either. "
            "That feeling is what businesses call <b>satisfaction</b>: the customer expected "
            "something, and they got it.</p>"
            "<p>If we put satisfaction on a school report card, it would be a <b>grade C</b>. A pass, "
            "but nothing to pin on the fridge. And here is the uncomfortable part: a customer who gives "
            "you a C has no particular reason to choose you next time. When they need coffee, a room or "
            "a repair again, they will look around, compare prices and go wherever happens to be "
            "convenient that day.</p>"
            "<p>Loyalty earns an A. An A means the customer got <i>more</i> than they expected: "
            "something about the visit went beyond the basic deal. Maybe you remembered how they like "
            "their tea, or you sorted out a problem before they even had to ask. Compared with what "
            "they would have got elsewhere, they received more of what matters to them, and that is "
            "why they come back to you instead of shopping around.</p>",
        ),
        (
            "callout",
            {
                "kind": "takeaway",
                "title": "The report card",
                "body": (
                    "<ul><li><b>Satisfied</b> = “I expected it and I got it” = a <b>grade C</b>. "
                    "Satisfied customers shop around next time.</li>"
                    "<li><b>Loyal</b> = expectations were exceeded = <b>an A</b>. Loyal customers "
                    "come back on purpose.</li></ul>"
                ),
            },
        ),
        ("heading", {"text": "Why satisfaction surveys can fool us", "level": "h2"}),
        (
            "text",
            "<p>Many businesses hand out satisfaction surveys: <i>Was the room clean? Was the staff "
            "member polite? Was your order correct?</i> Those questions are useful, but they measure "
            "how customers <b>perceive the features</b> of a product or service. They do not measure "
            "the <b>value</b> a customer gets from doing business with you overall.</p>"
            "<p>That is why satisfaction scores are poor at predicting what customers will actually "
            "do. A hotel guest can tick “clean, polite, correct” on every line and still book a "
            "different hotel next month because it was ten dollars cheaper. A café regular can rate you "
            "four stars out of five and quietly switch to the new place on the corner. A good score "
            "tells you nothing went wrong; it does not tell you the customer will return.</p>",
        ),
        ("heading", {"text": "What a loyal customer does", "level": "h2"}),
        (
            "text",
            "<p><b>Fred Reichheld</b>, the researcher and consultant who wrote <i>The Ultimate "
            "Question</i>, describes loyal customers by their behaviour. A loyal customer:</p>"
            "<ol>"
            "<li><b>Comes back</b>, again and again, without needing to be lured.</li>"
            "<li><b>Brags about you</b> to friends, family and colleagues.</li>"
            "<li><b>Advertises for free</b> through word of mouth: every recommendation is a "
            "customer you did not have to pay to attract.</li>"
            "<li><b>Is willing to pay more</b> to stay with you rather than chase a cheaper "
            "option.</li>"
            "<li><b>Forgives mistakes</b>, because one bad moment does not outweigh a strong "
            "relationship, as long as you put it right.</li>"
            "</ol>"
            "<p>Notice that none of these behaviours appear on a typical satisfaction form. They are "
            "what you see in the real world: the guest who asks for “the same room as last time”, the "
            "shopper who brings a friend in, the regular who shrugs and says “no problem, these things "
            "happen” when the card machine is down.</p>",
        ),
        (
            "callout",
            {
                "kind": "example",
                "title": "Spot the difference",
                "body": (
                    "<p>Two customers at a bakery both rate their visit 4 out of 5. One buys a loaf "
                    "and never thinks about you again. The other tells her whole book club where to get "
                    "the best sourdough, pays a little extra for the special bake on Saturdays, and "
                    "laughs it off when you run out of her favourite rolls. Same score, completely "
                    "different value to the business.</p>"
                ),
            },
        ),
        ("heading", {"text": "Perceived value: why they choose you", "level": "h2"}),
        (
            "text",
            "<p>Customers decide whether to stay by weighing up <b>perceived value</b>. Picture three "
            "things side by side: what the customer wants, what they actually get from you, and what a "
            "competitor would give them instead. Perceived value lives where those meet. If you give "
            "them more of what they care about than the place down the road, they stay.</p>"
            "<p>Loyalty is not won once and kept forever. It lasts only as long as you keep meeting "
            "the customer's <b>qualifications</b> (the basics they insist on, such as a clean table or "
            "a working room key), their <b>specifications</b> (the particular way they want things "
            "done, such as extra-hot milk or a ground-floor room) and their <b>expectations</b> (the "
            "standard they have come to count on from you), every single time.</p>"
            "<p>This matters for your job security as well as for the customer. Research points to "
            "customer loyalty as the best predictor of a business's future strength and growth. "
            "Satisfaction tells you about yesterday; loyalty tells you about tomorrow.</p>",
        ),
        (
            "callout",
            {
                "kind": "tip",
                "title": "Try this on your next shift",
                "body": (
                    "<p>Pick one regular and ask yourself: <i>what would turn today's visit from a C "
                    "into an A?</i> Often it is small: using their name, having their usual ready, or "
                    "mentioning something they told you last time.</p>"
                ),
            },
        ),
        (
            "scenario",
            {
                "title": "The regular with a new option",
                "situation": (
                    "Maya has bought her morning coffee at your café three or four times a week for a "
                    "year. Today, as she reaches the counter, she says: “That new place across the road "
                    "gives you a free coffee after every five. I might give it a try.”"
                ),
                "steps": [
                    {
                        "step_id": "start",
                        "prompt": "Maya is waiting for your answer. There is a short queue behind her.",
                        "choices": [
                            {
                                "label": "Smile, start her usual oat flat white and ask how her week is going.",
                                "outcome": (
                                    "Maya relaxes a little. “Honestly? Long. The office Wi-Fi has been down, so "
                                    "I've been working from cafés all week.”"
                                ),
                                "feedback": (
                                    "Good start. You showed you know her and turned the talk from a discount to "
                                    "her. Now you can find out what she actually values."
                                ),
                                "loyalty_effect": 2,
                                "next_step": "listen",
                            },
                            {
                                "label": "“No problem! We've got a stamp card too, want one?”",
                                "outcome": "Maya shrugs. “Cards are all the same, really.”",
                                "feedback": (
                                    "A card copies the competitor's offer, but it does nothing to make her visit "
                                    "better than theirs. Points are not loyalty."
                                ),
                                "loyalty_effect": -1,
                                "next_step": "card-talk",
                            },
                            {
                                "label": "“Their coffee isn't as good as ours anyway.”",
                                "outcome": (
                                    "Maya raises an eyebrow, pays and leaves. The next week you see her carrying "
                                    "a cup from across the road."
                                ),
                                "feedback": (
                                    "Knocking a competitor sounds defensive and ignores what Maya wants. She got "
                                    "a C visit and a reason to shop around."
                                ),
                                "loyalty_effect": -2,
                                "next_step": "",
                            },
                        ],
                    },
                    {
                        "step_id": "card-talk",
                        "prompt": "Maya is already looking at her phone. You have a few seconds before she pays.",
                        "choices": [
                            {
                                "label": "Put the card away, make her usual and ask how her week is going.",
                                "outcome": (
                                    "She looks up. “Long week. The office Wi-Fi is down, so I'm camping in cafés.”"
                                ),
                                "feedback": (
                                    "Nice recovery. Asking about her, not about points, opens the door to giving "
                                    "her more than she expects."
                                ),
                                "loyalty_effect": 1,
                                "next_step": "listen",
                            },
                            {
                                "label": "Explain the points scheme in detail so she sees it beats the new café's.",
                                "outcome": "Maya nods politely, pays and says “We'll see.”",
                                "feedback": (
                                    "You competed on rewards alone, and a rival can always add a bigger reward. "
                                    "Nothing about her visit was better than expected."
                                ),
                                "loyalty_effect": -2,
                                "next_step": "",
                            },
                        ],
                    },
                    {
                        "step_id": "listen",
                        "prompt": (
                            "Maya adds: “And no offence, but my coffee was lukewarm on Monday. I was too busy "
                            "to say anything.”"
                        ),
                        "choices": [
                            {
                                "label": (
                                    "Apologise, make sure today's is piping hot, and offer the quiet table by the "
                                    "power socket plus the Wi-Fi code."
                                ),
                                "outcome": (
                                    "Maya settles in for two hours, orders lunch, and on Friday brings a colleague "
                                    "whose office Wi-Fi is also down."
                                ),
                                "feedback": (
                                    "Best path. You fixed her problem, met her specifications and gave her more "
                                    "than she expected. That is an A, and an A beats a free sixth coffee."
                                ),
                                "loyalty_effect": 3,
                                "next_step": "",
                            },
                            {
                                "label": "“Sorry about that,” then call the next customer.",
                                "outcome": "Maya takes her coffee and goes. You are not sure whether she will be back.",
                                "feedback": (
                                    "Polite, but the apology changed nothing. She is satisfied at best, and "
                                    "satisfied customers shop around."
                                ),
                                "loyalty_effect": 0,
                                "next_step": "",
                            },
                        ],
                    },
                ],
            },
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Lesson 2
# ---------------------------------------------------------------------------------------------

LESSON_POINTS_OF_CONNECTION = {
    "title": "Points of connection",
    "slug": "points-of-connection",
    "summary": (
        "Find every moment a customer can see, hear, feel, smell or taste your business, and turn "
        "those points of connection into a plan for loyalty."
    ),
    "estimated_minutes": 16,
    "body": [
        ("heading", {"text": "Where the customer meets you", "level": "h2"}),
        (
            "text",
            "<p>Loyal customers expect more than merely satisfied ones, so you need to know exactly "
            "what they expect. That work starts at the top: the <b>management team</b> is responsible "
            "for finding the <b>points of connection</b> in the customer's encounter with the "
            "business. But managers cannot see everything from the office, which is where you come "
            "in.</p>"
            "<p>A point of connection is anything a customer can <b>see</b>, <b>hear</b>, "
            "<b>feel</b>, <b>smell</b> or <b>taste</b> while dealing with you. Some examples:</p>"
            "<ul>"
            "<li><b>See:</b> a tidy shop window, a clear price label, a smile, a sticky menu.</li>"
            "<li><b>Hear:</b> a warm greeting, the music level, staff chatting among themselves "
            "while a customer waits.</li>"
            "<li><b>Feel:</b> a comfortable chair, a heavy door, the temperature of the lobby, a "
            "firm mattress.</li>"
            "<li><b>Smell:</b> fresh coffee, clean towels, or the bins by the back door.</li>"
            "<li><b>Taste:</b> the coffee itself, a biscuit on the saucer, a welcome drink at "
            "check-in.</li>"
            "</ul>"
            "<p>Every one of those moments either nudges the customer towards loyalty or gives them "
            "a small reason to go elsewhere.</p>",
        ),
        (
            "callout",
            {
                "kind": "takeaway",
                "title": "",
                "body": (
                    "<p>A point of connection is any moment where the customer can <b>see, hear, feel, "
                    "smell or taste</b> your business. Find them, and you know where loyalty is won or "
                    "lost.</p>"
                ),
            },
        ),
        ("heading", {"text": "Walk through it as a customer", "level": "h2"}),
        (
            "text",
            "<p>The simplest way to find points of connection needs no software and no consultant: "
            "<b>literally walk through the business the way a customer does</b>. Start where they "
            "start, perhaps the car park, the website or the phone line, and follow their path to the "
            "moment they leave. At each stop, pause and ask yourself what reaches each of the five "
            "senses.</p>"
            "<p>It helps to walk at the customer's pace and at a busy time, not just before opening "
            "when everything is perfect. Take a notebook, and for each stop write down what a merely "
            "satisfied customer gets, what would make a loyal one, and what you could do about it. "
            "The walkthrough below shows what that looks like in a café.</p>",
        ),
        (
            "walkthrough",
            {
                "title": "A morning visit to the Corner Café",
                "intro": (
                    "Follow a customer from the pavement to the door on the way out. At each stop, "
                    "notice the senses involved, compare a satisfied visit with a loyal one, and see "
                    "what the team can do."
                ),
                "stops": [
                    {
                        "touchpoint": "Outside and at the front door",
                        "senses": ["see", "smell"],
                        "satisfied": "The café is open and the door is unlocked.",
                        "loyal": (
                            "Clean windows, today's special chalked up with a friendly line, and the smell "
                            "of fresh bread drifting onto the pavement."
                        ),
                        "action": (
                            "Check the door, the board and the step at the start of each shift; wipe "
                            "fingerprints off the glass and keep the bins well away from the entrance."
                        ),
                    },
                    {
                        "touchpoint": "Greeting at the counter",
                        "senses": ["see", "hear"],
                        "satisfied": "A barista eventually looks up and says “Next.”",
                        "loyal": (
                            "Eye contact and a hello within a few seconds, even if you are busy, and "
                            "regulars greeted by name with their usual offered."
                        ),
                        "action": (
                            "Acknowledge every person as they reach the queue. Learn three regulars' names "
                            "and orders each week."
                        ),
                    },
                    {
                        "touchpoint": "Waiting for the order",
                        "senses": ["hear", "smell"],
                        "satisfied": "The coffee arrives after a while.",
                        "loyal": (
                            "A realistic wait time given up front, music at a level that allows "
                            "conversation, and the order called out clearly and kindly."
                        ),
                        "action": (
                            "Tell customers how long it will be if there is a backlog; keep the grinder "
                            "and the music from drowning out names."
                        ),
                    },
                    {
                        "touchpoint": "Finding a table",
                        "senses": ["see", "feel"],
                        "satisfied": "There is a free table.",
                        "loyal": (
                            "A clean, steady table, a chair that does not wobble, and a room that is "
                            "neither too cold by the door nor too hot by the radiator."
                        ),
                        "action": (
                            "Clear and wipe tables within minutes, fix wobbles with a wedge, and report "
                            "draughts or heating problems rather than living with them."
                        ),
                    },
                    {
                        "touchpoint": "The first sip and bite",
                        "senses": ["taste", "smell", "feel"],
                        "satisfied": "The coffee is what was ordered.",
                        "loyal": (
                            "The drink is at the right temperature, the pastry is warmed, the cup is "
                            "pleasant to hold, and a glass of water appears without asking."
                        ),
                        "action": (
                            "Taste-check the first shot each morning, warm pastries when asked and offer "
                            "water to anyone who sits down."
                        ),
                    },
                    {
                        "touchpoint": "Paying and leaving",
                        "senses": ["hear", "feel", "see"],
                        "satisfied": "The card reader works and there is a receipt.",
                        "loyal": (
                            "A thank-you by name, help with the door for someone carrying a buggy, and a "
                            "genuine “see you tomorrow.”"
                        ),
                        "action": (
                            "Look up from the till when you say thank you. The last moment is often the one "
                            "a customer remembers."
                        ),
                    },
                ],
            },
        ),
        ("heading", {"text": "From walkthrough to survey to plan", "level": "h2"}),
        (
            "text",
            "<p>Once the points of connection are known, the business can build a <b>customer survey "
            "that mirrors them</b>. Instead of a vague “How was your visit?”, each question follows a "
            "stop on the customer's path:</p>"
            "<ul>"
            "<li>Were you greeted when you arrived?</li>"
            "<li>Was your table clean and comfortable?</li>"
            "<li>Did your food and drink taste as good as you hoped?</li>"
            "<li>Did you have a problem that was <b>not resolved</b>? What was it?</li>"
            "</ul>"
            "<p>That last question matters most. Unresolved problems are the quiet reason customers "
            "drift away, and a survey is often the only place they mention them.</p>"
            "<p>With the answers in hand, management draws up a <b>loyalty strategic plan</b>: a "
            "plan that lines up every action in the business, from the rota to the menu to the "
            "cleaning schedule, behind one goal: creating loyal customers.</p>",
        ),
        ("heading", {"text": "Start with an assessment, then keep improving", "level": "h2"}),
        (
            "text",
            "<p>The starting point is an honest <b>business assessment</b>: where are we today, "
            "stop by stop? That assessment feeds a <b>continuous improvement</b> process, a loop "
            "rather than a one-off project:</p>"
            "<ol>"
            "<li>Assess the current customer experience.</li>"
            "<li>Identify the critical points of connection.</li>"
            "<li>Improve one or two of them.</li>"
            "<li>Walk through again, survey again, and see what changed.</li>"
            "</ol>"
            "<p>You are part of that loop every day. You notice the wobbly table, the flickering sign "
            "and the guest who mutters about the shower. Reporting these things is not complaining; "
            "it is continuous improvement in action.</p>",
        ),
        (
            "callout",
            {
                "kind": "tip",
                "title": "The five-sense check",
                "body": (
                    "<p>Once a shift, stand where a customer stands and run through the senses: What do "
                    "I <b>see</b>? <b>Hear</b>? <b>Feel</b>? <b>Smell</b>? <b>Taste</b>? Fix what you "
                    "can, and pass on what you cannot fix to your manager.</p>"
                ),
            },
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Lesson 3
# ---------------------------------------------------------------------------------------------

LESSON_CUSTOMER_WORTH = {
    "title": "What a customer is worth",
    "slug": "what-a-customer-is-worth",
    "summary": (
        "Work out the lifetime value of a satisfied and a loyal customer, and see why a small rise "
        "in retention makes such a big difference to profit."
    ),
    "estimated_minutes": 13,
    "body": [
        ("heading", {"text": "Look past the single sale", "level": "h2"}),
        (
            "text",
            "<p>When you are serving a queue, it is natural to think about the sale in front of you: "
            "one coffee, one night's stay, one repair. But many businesses make the mistake of "
            "thinking <i>only</i> about that single sale. They forget that the person at the counter "
            "is not a one-off transaction but a source of <b>ongoing income</b> that can last for "
            "years.</p>"
            "<p>To see how big the difference is, let's put real numbers on two customers.</p>",
        ),
        ("heading", {"text": "Two customers, one shop", "level": "h2"}),
        (
            "text",
            "<p><b>The satisfied customer</b> visits a local shop four times a year and spends about "
            "$50 each time. That is 4 × $50 = <b>$200 a year</b>. If she keeps that habit for ten "
            "years, she is worth <b>$2,000</b> to the shop.</p>"
            "<p><b>The loyal customer</b> shops at the same place but comes in every week, spending "
            "the same $50. That is 52 × $50 = <b>$2,600 a year</b>. Over ten years, she is worth "
            "<b>$26,000</b>.</p>"
            "<p>Same shop, same spend per visit, and yet the loyal customer is worth thirteen times "
            "as much. Use the calculator below to see it for yourself, then change the numbers to "
            "match the customers you serve.</p>",
        ),
        (
            "calculator",
            {
                "title": "What is a customer worth?",
                "currency": "$",
                "satisfied_visits": 4,
                "satisfied_spend": "50.00",
                "loyal_visits": 52,
                "loyal_spend": "50.00",
                "years": 10,
            },
        ),
        ("heading", {"text": "The lifetime value formula", "level": "h3"}),
        (
            "text",
            "<p>The calculator uses one simple formula for <b>lifetime value</b>:</p>"
            "<blockquote>visits per year × spend per visit × years as a customer</blockquote>"
            "<p>Try it with your own workplace in mind:</p>"
            "<ul>"
            "<li><b>Hotel:</b> a business traveller who stays 3 nights a month at $120 a night, for "
            "5 years, is worth 36 × $120 × 5 = $21,600.</li>"
            "<li><b>Café:</b> a commuter who buys a $4 coffee five days a week, about 230 visits a "
            "year, for 6 years, is worth 230 × $4 × 6 = $5,520.</li>"
            "<li><b>Service desk:</b> a small firm that spends $300 on supplies and repairs each "
            "month, for 8 years, is worth 12 × $300 × 8 = $28,800.</li>"
            "</ul>"
            "<p>Next time a customer asks for something small, remember which number you are really "
            "dealing with.</p>",
        ),
        (
            "callout",
            {
                "kind": "takeaway",
                "title": "Retention pays",
                "body": (
                    "<p>Keeping just <b>5%</b> more of your customers can raise profitability by "
                    "<b>25 to 100%</b>. Small improvements in how many customers come back have a huge "
                    "effect on the business.</p>"
                ),
            },
        ),
        ("heading", {"text": "Why returning customers matter so much", "level": "h2"}),
        (
            "text",
            "<p>When a customer's expectations are fulfilled, there is roughly a <b>70%</b> chance "
            "they will come back and buy something similar again. How soon depends on the product: "
            "a coffee drinker returns tomorrow, a hotel guest perhaps next season.</p>"
            "<p>Returning customers also tend to <b>broaden what they buy</b>. The commuter who "
            "starts with a coffee adds a croissant, then lunch, then orders a tray of sandwiches for "
            "an office meeting. The hotel guest who came for one night books the restaurant, then "
            "the spa, then the family's holiday. Every return visit is a chance for the relationship "
            "to grow.</p>"
            "<p>And when times are hard, in a downturn or a quiet season, it is loyal customers who "
            "keep a business going. New customers become scarce; regulars keep coming because of "
            "the experience they trust. Whether the business kept its promise to them is what counts "
            "then.</p>",
        ),
        (
            "callout",
            {
                "kind": "example",
                "title": "The $4 decision",
                "body": (
                    "<p>A regular says her coffee tastes burnt. Remaking it costs the café about a "
                    "dollar. Arguing about it risks a customer worth thousands over the years. Seen "
                    "through lifetime value, the choice is obvious: remake it, with a smile.</p>"
                ),
            },
        ),
        (
            "callout",
            {
                "kind": "warning",
                "title": "Don't under-value the customer in front of you",
                "body": (
                    "<p>If you think a customer is worth only today's purchase, you will make the wrong "
                    "call when something goes wrong. The next lesson shows how to get those moments "
                    "right.</p>"
                ),
            },
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Lesson 4
# ---------------------------------------------------------------------------------------------

LESSON_PROBLEM_RESOLUTION = {
    "title": "Problem resolution",
    "slug": "problem-resolution",
    "summary": (
        "Turn mistakes into loyalty: value the customer properly, listen to their needs and pains, "
        "ask what would help, then act. Practise with two branching scenarios."
    ),
    "estimated_minutes": 16,
    "body": [
        ("heading", {"text": "Why fixing problems is a critical objective", "level": "h2"}),
        (
            "text",
            "<p>Training for loyalty asks three things of every employee:</p>"
            "<ol>"
            "<li>Let go of the old <b>satisfaction</b> mindset (“they got what they paid for”) and "
            "embrace the <b>loyalty</b> one (“they got more than they expected”).</li>"
            "<li>Learn to spot the <b>points of connection</b> in the customer's visit.</li>"
            "<li>Understand that <b>problem resolution</b> is a critical objective, not an "
            "interruption to the real work.</li>"
            "</ol>"
            "<p>Things will go wrong: a cold meal, a room that is not ready, a wrong charge. What "
            "matters is what happens next. Loyal customers are forgiving, but they forgive mistakes "
            "that are <b>put right</b>. A problem handled well can leave a customer more loyal than "
            "if nothing had gone wrong at all. A problem left hanging becomes a story they tell "
            "their friends.</p>"
            "<p>That is why loyalty surveys ask about <b>unresolved problems</b>. They are often "
            "invisible at the counter: the customer says “it's fine” and simply never comes "
            "back.</p>",
        ),
        ("heading", {"text": "Know what the customer is worth before you decide", "level": "h2"}),
        (
            "text",
            "<p>When you under-value a customer, you make the wrong decisions when things go wrong. "
            "If a hotel guest disputes a $6 minibar charge and you see only six dollars, you might "
            "argue. If you see a guest who stays twelve nights a year and has recommended the hotel "
            "to colleagues, you remove the charge and thank them for pointing it out.</p>"
            "<p>Before you respond to a problem, take one breath and ask: <i>what is this person "
            "worth to us over the years, and what will they remember about how I handle this?</i></p>",
        ),
        ("heading", {"text": "Listen, ask, act", "level": "h2"}),
        (
            "text",
            "<p>Good problem resolution follows a simple rhythm:</p>"
            "<ol>"
            "<li><b>Listen</b> to the customer's needs, desires and pains. Let them finish. Do not "
            "prepare your defence while they talk.</li>"
            "<li><b>Ask</b> how they feel and what would make things easier for them. Often the "
            "answer is smaller and cheaper than you feared.</li>"
            "<li><b>Act</b> on what they tell you, and do it quickly. Listening without acting is "
            "just a politer way of ignoring someone.</li>"
            "<li><b>Follow up</b>. Check back a few minutes later, or make a note so the next "
            "colleague knows what happened.</li>"
            "</ol>",
        ),
        (
            "callout",
            {
                "kind": "tip",
                "title": "Words that help",
                "body": (
                    "<ul><li>“I'm sorry, that shouldn't have happened.”</li>"
                    "<li>“What would make this easier for you right now?”</li>"
                    "<li>“Here's what I can do straight away…”</li>"
                    "<li>“I'll check back with you in ten minutes.”</li></ul>"
                    "<p>Avoid blaming other departments, quoting policy first, or “there's nothing I "
                    "can do.”</p>"
                ),
            },
        ),
        (
            "scenario",
            {
                "title": "The room that wasn't ready",
                "situation": (
                    "It is 3:05 pm. Mr Okafor arrives at the front desk after fourteen hours of "
                    "travelling. Check-in is from 3 pm, but housekeeping is behind and his room will not "
                    "be ready for about an hour. He has stayed with you several times before."
                ),
                "steps": [
                    {
                        "step_id": "start",
                        "prompt": "Mr Okafor puts his bag down heavily. “Please tell me my room is ready.”",
                        "choices": [
                            {
                                "label": (
                                    "Apologise sincerely, welcome him back by name, and ask what he needs most "
                                    "right now."
                                ),
                                "outcome": (
                                    "He sighs. “A shower and an hour lying down. I have a video meeting at five.”"
                                ),
                                "feedback": (
                                    "Strong start. You owned the problem, recognised a returning guest and "
                                    "asked before assuming."
                                ),
                                "loyalty_effect": 2,
                                "next_step": "needs",
                            },
                            {
                                "label": (
                                    "Explain that housekeeping is short-staffed today and the room will be "
                                    "ready in about an hour."
                                ),
                                "outcome": "His face falls. “I've been travelling for fourteen hours.”",
                                "feedback": (
                                    "Honest, but it puts the hotel's problem ahead of his. An explanation is not "
                                    "a solution."
                                ),
                                "loyalty_effect": -1,
                                "next_step": "waiting",
                            },
                            {
                                "label": "Point out that check-in is from 3 pm, so strictly it is only five minutes late.",
                                "outcome": (
                                    "He asks for the manager, and later leaves an online review titled "
                                    "“Technically correct, practically useless.”"
                                ),
                                "feedback": (
                                    "Being right about the policy cost the hotel a loyal guest. Never argue "
                                    "technicalities with a tired customer."
                                ),
                                "loyalty_effect": -3,
                                "next_step": "",
                            },
                        ],
                    },
                    {
                        "step_id": "waiting",
                        "prompt": "Mr Okafor is standing at the desk, clearly exhausted. What do you do now?",
                        "choices": [
                            {
                                "label": "Change tack: apologise properly and ask what would help him most right now.",
                                "outcome": (
                                    "He softens slightly. “A shower and a lie-down. I have a video meeting at five.”"
                                ),
                                "feedback": (
                                    "Good recovery. Moving from explaining to listening gets you back on the "
                                    "right track."
                                ),
                                "loyalty_effect": 1,
                                "next_step": "needs",
                            },
                            {
                                "label": "Repeat that it won't be long and suggest the café down the street.",
                                "outcome": (
                                    "He takes his bag and goes. He checks in an hour later without a word and "
                                    "books elsewhere next trip."
                                ),
                                "feedback": (
                                    "Sending a guest away to wait tells him he is not worth any effort. Under-"
                                    "valuing the customer led to the wrong decision."
                                ),
                                "loyalty_effect": -2,
                                "next_step": "",
                            },
                        ],
                    },
                    {
                        "step_id": "needs",
                        "prompt": "You now know what he needs. What do you offer?",
                        "choices": [
                            {
                                "label": (
                                    "Offer a ready room of another type now, or the gym showers and a quiet "
                                    "lounge; store his bag; phone when his room is ready; note it on his profile."
                                ),
                                "outcome": (
                                    "He takes the ready room, makes his meeting refreshed, and at check-out "
                                    "says, “You really looked after me yesterday.”"
                                ),
                                "feedback": (
                                    "Best path. You listened, asked, and acted on exactly what he said. The "
                                    "mistake is forgiven because it was put right."
                                ),
                                "loyalty_effect": 3,
                                "next_step": "",
                            },
                            {
                                "label": "Give him a voucher for a free drink at the bar and ask him to wait there.",
                                "outcome": (
                                    "He accepts politely, but sits in the bar in his travel clothes, worrying about "
                                    "his meeting."
                                ),
                                "feedback": (
                                    "A kind gesture, but not the one he asked for. Acting on what the customer "
                                    "actually tells you beats a standard giveaway."
                                ),
                                "loyalty_effect": 1,
                                "next_step": "",
                            },
                        ],
                    },
                ],
            },
        ),
        (
            "scenario",
            {
                "title": "The birthday cake with the wrong name",
                "situation": (
                    "Ana comes to your bakery counter to collect a birthday cake for her daughter's "
                    "party, which starts in an hour. When you open the box, the icing says "
                    "“Happy Birthday Sofya”. Her daughter is Sofia."
                ),
                "steps": [
                    {
                        "step_id": "start",
                        "prompt": "Ana stares at the cake. “That's not how you spell her name.”",
                        "choices": [
                            {
                                "label": "“I'm so sorry, that's our mistake. When is the party, and what would help most?”",
                                "outcome": "“In an hour. I just need the name right. She's seven, she'll notice.”",
                                "feedback": (
                                    "You owned it at once and asked what she needs. That keeps her on your side."
                                ),
                                "loyalty_effect": 2,
                                "next_step": "fix-options",
                            },
                            {
                                "label": "Check the order form and point out that it was written that way.",
                                "outcome": (
                                    "Ana's voice rises. “I told the person on the phone how to spell it! I'm "
                                    "never ordering here again.”"
                                ),
                                "feedback": (
                                    "Even if the form is wrong, proving it is not her fault will not get the "
                                    "name fixed. Blame comes before resolution here, and it hurts."
                                ),
                                "loyalty_effect": -2,
                                "next_step": "blame",
                            },
                        ],
                    },
                    {
                        "step_id": "blame",
                        "prompt": "Ana is upset and other customers are watching.",
                        "choices": [
                            {
                                "label": "Stop, apologise without excuses, and promise to fix the icing right now.",
                                "outcome": "Ana takes a breath. “Fine. But I don't have long.”",
                                "feedback": (
                                    "Good recovery. Dropping the argument and moving to a fix is what earns "
                                    "forgiveness."
                                ),
                                "loyalty_effect": 1,
                                "next_step": "fix-options",
                            },
                            {
                                "label": "Go into the back to find the manager and leave her waiting at the counter.",
                                "outcome": (
                                    "Ana waits five minutes, takes the cake as it is, and leaves a one-star review "
                                    "that evening."
                                ),
                                "feedback": (
                                    "Disappearing leaves the customer alone with her problem. If you need help, "
                                    "tell her what you are doing and how long it will take."
                                ),
                                "loyalty_effect": -1,
                                "next_step": "",
                            },
                        ],
                    },
                    {
                        "step_id": "fix-options",
                        "prompt": "The decorator can re-ice the name in about ten minutes. What do you offer Ana?",
                        "choices": [
                            {
                                "label": (
                                    "Have it re-iced now, offer her a seat and a drink, refund the lettering, "
                                    "and take her number to check the party went well."
                                ),
                                "outcome": (
                                    "Ana leaves on time with the right cake. The next day she posts a photo of "
                                    "Sofia with it and thanks the bakery for saving the day."
                                ),
                                "feedback": (
                                    "Best path: fast fix, care while she waits, and a follow-up. A mistake put "
                                    "right has turned her into a fan."
                                ),
                                "loyalty_effect": 3,
                                "next_step": "",
                            },
                            {
                                "label": "Offer 10% off her next order and hand over the cake as it is.",
                                "outcome": "Ana takes the cake, unhappy. She never uses the discount.",
                                "feedback": (
                                    "A discount on a future order does not solve today's problem. Listen to what "
                                    "she needs (the right name, in time) and act on that."
                                ),
                                "loyalty_effect": -1,
                                "next_step": "",
                            },
                        ],
                    },
                ],
            },
        ),
        (
            "callout",
            {
                "kind": "takeaway",
                "title": "Remember",
                "body": (
                    "<p>Value the customer for their lifetime, not today's bill. <b>Listen</b> to needs, "
                    "desires and pains, <b>ask</b> what would help, and then <b>act</b>. Loyal "
                    "customers forgive mistakes that are put right.</p>"
                ),
            },
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Lesson 5
# ---------------------------------------------------------------------------------------------

LESSON_BUSINESS_GOAL = {
    "title": "Making loyalty a business goal",
    "slug": "making-loyalty-a-business-goal",
    "summary": (
        "The three steps that turn loyalty into a goal for the whole business, every element of a "
        "real loyalty program, and your part in creating evangelists."
    ),
    "estimated_minutes": 15,
    "body": [
        ("heading", {"text": "Loyalty lives online too", "level": "h2"}),
        (
            "text",
            "<p>Loyalty used to mean one thing: the customer came back. Today it also includes "
            "what customers do online: posting <b>reviews</b>, sharing recommendations and "
            "testimonials on <b>social media</b>, and sending friends your way. A single glowing "
            "review of your café or hotel can be read by thousands of people you will never meet.</p>"
            "<p>So the customer we are aiming for is not merely satisfied, or even just a returning "
            "regular. It is a <b>delighted customer who becomes an evangelist</b>: someone who "
            "spreads the word about you because they genuinely want others to have the same "
            "experience.</p>"
            "<p>Creating evangelists cannot be left to chance or to one keen employee. It has to be "
            "a goal for the whole business, built in three steps.</p>",
        ),
        ("heading", {"text": "Step 1: Make loyalty everyone's goal", "level": "h2"}),
        (
            "text",
            "<p><b>Step 1</b> is to raise customer loyalty to a goal shared across the entire "
            "organisation, not just the marketing team. That involves three things:</p>"
            "<ul>"
            "<li><b>Education:</b> everyone understands why loyalty matters and what a loyal "
            "customer is worth (courses like this one are part of that).</li>"
            "<li><b>Responsibility:</b> nearly every employee plays a direct or indirect part in "
            "creating loyal customers, including people who never see a customer.</li>"
            "<li><b>Accountability:</b> every customer interaction counts, and each of us owns the "
            "ones we are part of.</li>"
            "</ul>",
        ),
        ("heading", {"text": "Step 2: Describe the behaviours at every level", "level": "h2"}),
        (
            "text",
            "<p><b>Step 2</b> is to spell out which behaviours build loyalty at every level and in "
            "every department. Everyone should be able to say how their work affects what customers "
            "feel and do. For example:</p>"
            "<ul>"
            "<li><b>Product development:</b> designs the new menu item or room layout around what "
            "regulars ask for.</li>"
            "<li><b>Customer service:</b> greets people by name, resolves problems on the spot and "
            "follows up.</li>"
            "<li><b>Housekeeping and cleaning:</b> notice and record guests' preferences.</li>"
            "<li><b>Stockroom and kitchen:</b> keep the regulars' favourites in stock and "
            "consistent.</li>"
            "<li><b>Managers:</b> give staff the time and authority to put things right.</li>"
            "</ul>",
        ),
        ("heading", {"text": "Step 3: Build a real loyalty program", "level": "h2"}),
        (
            "text",
            "<p><b>Step 3</b> is a comprehensive loyalty program. A good one is much more than a "
            "stamp card. It sets out:</p>"
            "<ul>"
            "<li><b>Desired customer behaviours:</b> what we hope loyal customers will do.</li>"
            "<li><b>Employee behaviours</b> that create loyalty.</li>"
            "<li><b>Communication plans</b> to keep in touch with customers across every kind of "
            "touch point: in person, phone, email, website and social media.</li>"
            "<li><b>Rewards and incentives</b> matched to the behaviours we want: repeat purchases, "
            "referrals of friends, posting a positive review and sharing a testimonial.</li>"
            "<li><b>Thank-you communications or gifts</b>: early announcements of new products or "
            "services, chances to help shape new offerings, chances to help other customers get the "
            "most out of what they bought, and special insider reports about the business.</li>"
            "<li><b>Rewards for the team</b> when they contribute to loyalty, because staff who are "
            "treated well treat customers well.</li>"
            "<li><b>Caring gestures that show it</b>: special coupons, invitations to "
            "limited-attendance sales and private product introductions, and remembering birthdays "
            "and anniversaries.</li>"
            "<li><b>Listening and acting</b>: asking about customers' needs, desires and pains, what "
            "they like and dislike, how we could make things easier, and then doing something about "
            "it.</li>"
            "</ul>",
        ),
        (
            "callout",
            {
                "kind": "example",
                "title": "What it looks like in a small hotel",
                "body": (
                    "<p>Regular guests hear about the new rooftop bar before it is advertised and are "
                    "invited to a preview evening with limited places. A guest who refers a friend gets "
                    "a late check-out. A card arrives on the anniversary of their first stay. Front-desk "
                    "staff who collect the most guest preferences are recognised at the monthly team "
                    "meeting.</p>"
                ),
            },
        ),
        ("heading", {"text": "People who care", "level": "h2"}),
        (
            "text",
            "<p>No program works without the right people behind it. Loyalty becomes achievable "
            "when a business <b>hires people who care</b> about customers, <b>empowers</b> them to "
            "delight customers (for example, letting a barista replace a drink or a receptionist "
            "waive a small charge without asking permission), and <b>treats them well</b>. When "
            "loyalty is part of the culture, every person can see how their work builds the "
            "future of the business, and loyal customers follow naturally.</p>",
        ),
        (
            "scenario",
            {
                "title": "The delighted customer",
                "situation": (
                    "At the service desk of a hardware store, you have just spent ten minutes helping "
                    "Mr Lee find the right part for his leaking outdoor tap and showing him how to fit it. "
                    "He beams: “You've saved my weekend. I'll be telling the neighbours about you.”"
                ),
                "steps": [
                    {
                        "step_id": "start",
                        "prompt": "Mr Lee is clearly delighted. How do you respond?",
                        "choices": [
                            {
                                "label": (
                                    "Thank him warmly, ask what made the difference for him, and mention that "
                                    "an online review helps neighbours find help too."
                                ),
                                "outcome": (
                                    "“Honestly, you explained it so I understood. Sure, I'll write something "
                                    "tonight. I'm building a deck next month, actually.”"
                                ),
                                "feedback": (
                                    "Great. You listened to what he valued and gave a delighted customer an easy "
                                    "way to become an evangelist."
                                ),
                                "loyalty_effect": 2,
                                "next_step": "next-project",
                            },
                            {
                                "label": "“No problem, just doing my job.”",
                                "outcome": "He hesitates. “Well, it felt like more than that.”",
                                "feedback": (
                                    "Modesty is kind, but brushing off praise closes the conversation just when "
                                    "the customer wants to connect."
                                ),
                                "loyalty_effect": 0,
                                "next_step": "brush-off",
                            },
                            {
                                "label": "Hand him a points-card leaflet and call the next customer.",
                                "outcome": "He pockets the leaflet and leaves. It ends up in the recycling.",
                                "feedback": (
                                    "A card is not loyalty. You missed the moment to thank him and to learn what "
                                    "he will need next."
                                ),
                                "loyalty_effect": -1,
                                "next_step": "",
                            },
                        ],
                    },
                    {
                        "step_id": "brush-off",
                        "prompt": "Mr Lee is still standing there, wanting to say more.",
                        "choices": [
                            {
                                "label": "Accept the thanks properly and ask what helped most.",
                                "outcome": (
                                    "“You explained it in plain English. I'm building a deck next month, so "
                                    "I'll be back.”"
                                ),
                                "feedback": "Good recovery. Accepting thanks opens the relationship.",
                                "loyalty_effect": 1,
                                "next_step": "next-project",
                            },
                            {
                                "label": "Smile, nod and turn back to your screen.",
                                "outcome": "He leaves happy enough, but you learn nothing about him.",
                                "feedback": "He was satisfied. A chance to build loyalty slipped by.",
                                "loyalty_effect": 0,
                                "next_step": "",
                            },
                        ],
                    },
                    {
                        "step_id": "next-project",
                        "prompt": "Mr Lee mentions he is planning a deck next month.",
                        "choices": [
                            {
                                "label": (
                                    "Offer to let him know before the timber sale starts, invite him to the "
                                    "small how-to evening for deck builders, and note his project for the team."
                                ),
                                "outcome": (
                                    "He comes to the evening, buys all his timber with you, and brings a "
                                    "neighbour who is planning the same thing."
                                ),
                                "feedback": (
                                    "Best path. Early announcements, a limited-attendance invitation and a "
                                    "shared note turn a one-off fix into a lasting relationship."
                                ),
                                "loyalty_effect": 3,
                                "next_step": "",
                            },
                            {
                                "label": "“Great, see you then!”",
                                "outcome": "He may come back. He may also see an advert from a bigger store first.",
                                "feedback": "Friendly, but you left the next visit to chance.",
                                "loyalty_effect": 1,
                                "next_step": "",
                            },
                        ],
                    },
                ],
            },
        ),
        (
            "callout",
            {
                "kind": "takeaway",
                "title": "The three steps",
                "body": (
                    "<ol><li><b>Step 1:</b> loyalty becomes a goal for everyone (education, "
                    "responsibility, accountability).</li>"
                    "<li><b>Step 2:</b> describe the loyalty-building behaviours at every level.</li>"
                    "<li><b>Step 3:</b> build a loyalty program that rewards, thanks, cares, listens "
                    "and acts.</li></ol>"
                    "<p>The aim: a delighted customer who becomes an <b>evangelist</b>.</p>"
                ),
            },
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Lesson 6
# ---------------------------------------------------------------------------------------------

LESSON_BEYOND_TRANSACTION = {
    "title": "Service beyond the transaction",
    "slug": "service-beyond-the-transaction",
    "summary": (
        "Why points and cards are not loyalty, the Partnership model versus the Standard model, "
        "remembering people as individuals, and the Random Act of Worth."
    ),
    "estimated_minutes": 16,
    "body": [
        ("heading", {"text": "A card in the wallet is not loyalty", "level": "h2"}),
        (
            "text",
            "<p>Airlines, hotel chains and big retailers made loyalty cards popular, and now almost "
            "every café, shop and pet store has one. Carry them all and your wallet would not close. "
            "But holding a card, collecting points or cashing in a reward is <b>not</b> the same as "
            "being loyal. Loyalty is a relationship, and a relationship runs <b>both ways</b>.</p>"
            "<p>Some schemes even push customers away. Picture a hotel program where your points "
            "disappear if you do not stay for <b>12 months</b>. A guest who had a quiet year, but "
            "who has been recommending the hotel to everyone, suddenly loses everything. The program "
            "punishes them for inactivity, and the goodwill they felt can vanish along with the "
            "points.</p>",
        ),
        (
            "callout",
            {
                "kind": "warning",
                "title": "Rewards are not a relationship",
                "body": (
                    "<p>Points, cards and rewards can support loyalty, but they cannot create it. Rules "
                    "that punish customers, like points expiring after 12 months without a visit, can "
                    "destroy the goodwill you worked to earn.</p>"
                ),
            },
        ),
        ("heading", {"text": "Standard model or Partnership model?", "level": "h2"}),
        (
            "text",
            "<p>There are two ways to think about your best customers:</p>"
            "<ul>"
            "<li><b>Standard model:</b> “What has the customer done for me lately?” This counts "
            "purchases, nights and points, and measures the customer's loyalty to us.</li>"
            "<li><b>Partnership model:</b> “What have I done lately for my most loyal customers?” "
            "This turns the question around and measures <i>our</i> loyalty to them.</li>"
            "</ul>"
            "<p>The Partnership model is what makes a business stand out from its competitors. It "
            "means remembering repeat customers, greeting them by name, and treating each of them as "
            "the individual they are, not as a number on a screen.</p>",
        ),
        ("heading", {"text": "The power of being remembered", "level": "h2"}),
        (
            "text",
            "<p>Here is a true story about a returning hotel guest. When she checked in, the staff "
            "already knew from their records that she had stayed before. They greeted her by name, "
            "thanked her for coming back, and told her they had put extra feather pillows in her "
            "room, just as she had asked for on her previous visit.</p>"
            "<p>Later, after a long day of meetings, she came back to find a handwritten note from "
            "the room attendant. The attendant had put her water and apples in the fridge to keep "
            "them cold and fresh, and, having noticed the milk was finished, had brought more.</p>"
            "<p>None of this cost much. All of it was remembered. That is the Partnership model in "
            "practice: paying attention, and acting on what you notice. The walkthrough below "
            "follows a stay like hers.</p>",
        ),
        (
            "walkthrough",
            {
                "title": "A returning guest's stay",
                "intro": (
                    "Follow a repeat guest through a hotel stay and see how remembering the person turns "
                    "routine service into loyalty."
                ),
                "stops": [
                    {
                        "touchpoint": "Arrival at the front desk",
                        "senses": ["see", "hear"],
                        "satisfied": "A quick check-in and a key card.",
                        "loyal": (
                            "Greeted by name, thanked for returning, and told that the preferences from "
                            "last time are already in the room."
                        ),
                        "action": (
                            "Check the guest's history before they reach the desk and mention one thing you "
                            "remembered for them."
                        ),
                    },
                    {
                        "touchpoint": "Settling into the room",
                        "senses": ["feel", "smell", "see"],
                        "satisfied": "A clean room that smells fresh.",
                        "loyal": "The extra feather pillows they asked for last time are already on the bed.",
                        "action": (
                            "Housekeeping reads the preference notes and records any new ones they notice."
                        ),
                    },
                    {
                        "touchpoint": "Coming back after a long day",
                        "senses": ["see", "taste", "feel"],
                        "satisfied": "The room has been tidied.",
                        "loyal": (
                            "A handwritten note: water and fruit chilled in the fridge, and the empty milk "
                            "replaced."
                        ),
                        "action": (
                            "Notice what the guest uses, top it up without being asked, and leave a short "
                            "personal note."
                        ),
                    },
                    {
                        "touchpoint": "Breakfast",
                        "senses": ["taste", "smell", "hear"],
                        "satisfied": "A hot breakfast served on time.",
                        "loyal": "A good morning by name and their usual coffee offered before they order.",
                        "action": "Share guest preferences between the front desk and the restaurant team.",
                    },
                    {
                        "touchpoint": "Check-out and afterwards",
                        "senses": ["hear", "see"],
                        "satisfied": "The bill is correct.",
                        "loyal": (
                            "A sincere thank-you, a question about what could be better next time, and a "
                            "follow-up message that acts on the answer."
                        ),
                        "action": "Ask one genuine question, record the answer and pass it on.",
                    },
                ],
            },
        ),
        ("heading", {"text": "Every touchpoint, channel and market", "level": "h2"}),
        (
            "text",
            "<p>Remembering people is not only for the front desk. Think about every <b>touchpoint</b> "
            "(counter, phone, email, website, delivery), every <b>channel</b> (in person, online, "
            "social media) and every <b>market</b> you serve (locals and tourists, families and "
            "business travellers). Each one is a chance to treat someone as a person rather than a "
            "number.</p>"
            "<p>Above all, <b>find out how each person wants to be treated</b>, and build the "
            "relationship on that. One regular loves a chat; another wants her order ready and no "
            "small talk. One guest wants a room near the lift; another wants the quietest corner. "
            "Ask, observe, and write it down so the whole team knows.</p>",
        ),
        ("heading", {"text": "A Random Act of Worth", "level": "h2"}),
        (
            "text",
            "<p>Here is a bold idea for going beyond the transaction: a <b>Random Act of Worth</b>. "
            "You spend a day at a customer's place of business, helping them in whatever way you "
            "can, and you <b>expect nothing in return</b>.</p>"
            "<p>Imagine the team from a print shop spending a morning helping a florist who is a "
            "regular client get through her busiest day of the year, or a café manager giving a "
            "Saturday to help the school that orders coffee from the café run its summer fair. It "
            "is not a sales visit and nothing is sold. You simply show up and are useful.</p>"
            "<p>People who try this often find they gain as much as they give: a much stronger "
            "connection with the customer, fresh ideas from watching how another business works, "
            "and the good feeling that comes from being of real service.</p>",
        ),
        (
            "scenario",
            {
                "title": "The vanished points",
                "situation": (
                    "Ms Novak phones the hotel's reservations line. She has stayed with you regularly for "
                    "six years and has recommended the hotel to her whole team. Last year she travelled "
                    "less, and her points have just expired under the 12-month rule."
                ),
                "steps": [
                    {
                        "step_id": "start",
                        "prompt": (
                            "“Six years, and I lose everything because I had one quiet year? I've sent you "
                            "half my office!”"
                        ),
                        "choices": [
                            {
                                "label": (
                                    "Thank her for six years and the recommendations, apologise, and ask what "
                                    "she was hoping to use the points for."
                                ),
                                "outcome": "She calms a little. “Our anniversary weekend in June.”",
                                "feedback": (
                                    "The Partnership model in action: you started from what you owe a loyal "
                                    "customer, not from what she owes you."
                                ),
                                "loyalty_effect": 2,
                                "next_step": "anniversary",
                            },
                            {
                                "label": "Explain that the terms clearly say points expire after 12 months without a stay.",
                                "outcome": "“So six years mean nothing to you?”",
                                "feedback": (
                                    "Standard model thinking: “what has she done for us lately?” The rule is "
                                    "real, but quoting it first tells her the relationship runs one way."
                                ),
                                "loyalty_effect": -2,
                                "next_step": "rules",
                            },
                        ],
                    },
                    {
                        "step_id": "rules",
                        "prompt": "Ms Novak is now angry and thinking about cancelling her next booking.",
                        "choices": [
                            {
                                "label": "Apologise, change tack, and ask what she had been saving the points for.",
                                "outcome": "After a pause: “Our anniversary weekend in June.”",
                                "feedback": (
                                    "Good recovery. Listening to the person matters more than defending the rule."
                                ),
                                "loyalty_effect": 1,
                                "next_step": "anniversary",
                            },
                            {
                                "label": "Offer to sign her up for the newsletter so she hears about future deals.",
                                "outcome": "She hangs up and cancels her next booking.",
                                "feedback": "A newsletter does not answer her pain. She feels like a number.",
                                "loyalty_effect": -2,
                                "next_step": "",
                            },
                        ],
                    },
                    {
                        "step_id": "anniversary",
                        "prompt": "You know she wanted the points for an anniversary weekend. What do you do?",
                        "choices": [
                            {
                                "label": (
                                    "Use the authority you have (or ask your manager) to restore the points, note "
                                    "the anniversary date, and plan a small welcome touch for the weekend."
                                ),
                                "outcome": (
                                    "She books the weekend. On arrival there is a handwritten card and their "
                                    "favourite wine in the room. She tells her office about it on Monday."
                                ),
                                "feedback": (
                                    "Best path. You put the relationship ahead of the rule, remembered her as an "
                                    "individual and went beyond the transaction."
                                ),
                                "loyalty_effect": 3,
                                "next_step": "",
                            },
                            {
                                "label": "Give her the standard promotional code that anyone can use.",
                                "outcome": "She thanks you flatly and says she will think about it.",
                                "feedback": (
                                    "Better than nothing, but it treats a six-year guest like a stranger. "
                                    "Loyalty is two-way."
                                ),
                                "loyalty_effect": 0,
                                "next_step": "",
                            },
                        ],
                    },
                ],
            },
        ),
        (
            "callout",
            {
                "kind": "takeaway",
                "title": "Beyond the transaction",
                "body": (
                    "<ul><li>Cards and points are not loyalty; loyalty is two-way.</li>"
                    "<li>Swap the <b>Standard model</b> question for the <b>Partnership model</b> one: "
                    "what have I done lately for my most loyal customers?</li>"
                    "<li>Remember people by name and treat them as individuals.</li>"
                    "<li>Consider every touchpoint, channel and market, and find out how each person "
                    "wants to be treated.</li>"
                    "<li>Try a <b>Random Act of Worth</b>: help a customer for a day, expecting nothing "
                    "back.</li></ul>"
                ),
            },
        ),
    ],
}


COURSE = {
    "title": "Customer Loyalty Fundamentals",
    "slug": "customer-loyalty-fundamentals",
    "intro": (
        "<p>Satisfied customers come back when it suits them. <b>Loyal</b> customers come back on "
        "purpose, bring their friends and forgive the odd mistake. This course shows you, step by "
        "step, how everyday service in a shop, café, hotel or service desk turns one into the "
        "other.</p>"
        "<p>You will learn to:</p>"
        "<ul>"
        "<li>tell the difference between satisfaction and loyalty;</li>"
        "<li>find the points of connection in a customer's visit;</li>"
        "<li>work out what a loyal customer is really worth;</li>"
        "<li>resolve problems so that customers forgive and return;</li>"
        "<li>see how loyalty becomes a goal for the whole business;</li>"
        "<li>go beyond the transaction by remembering people as individuals.</li>"
        "</ul>"
        "<p>Each lesson takes about fifteen minutes and includes something to try: a walkthrough, "
        "a calculator or a customer scenario to play.</p>"
    ),
    "estimated_minutes": 90,
    "certificate_validity_months": 12,
    "lessons": [
        LESSON_LOYALTY_NOT_SATISFACTION,
        LESSON_POINTS_OF_CONNECTION,
        LESSON_CUSTOMER_WORTH,
        LESSON_PROBLEM_RESOLUTION,
        LESSON_BUSINESS_GOAL,
        LESSON_BEYOND_TRANSACTION,
    ],
}

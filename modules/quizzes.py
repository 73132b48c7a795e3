"""The shipped quizzes of Loyalty Academy: pure data, loaded next to the course in modules.curriculum.

LESSON_QUIZZES holds one short quiz per lesson, in lesson order ("after_lesson" is the slug of the
lesson the quiz follows). FINAL_ASSESSMENT is a pool of questions from which each attempt draws 15.

Each question is a (block_type, value) tuple matching modules.blocks.questions.QuizQuestionsBlock.
Numbers are strings (they become Decimals). The comment above every question names the section and
fact of shared/source-material/FACTS.md that it assesses, so coverage can be checked at a glance.
Every problem-resolution item (FACTS section 4) is a scenario judgement.
"""


# ---------------------------------------------------------------------------------------------
# Quiz 1: Loyalty is not satisfaction
# ---------------------------------------------------------------------------------------------

QUIZ_LOYALTY_NOT_SATISFACTION = {
    "after_lesson": "loyalty-is-not-satisfaction",
    "title": "Quiz: Loyalty is not satisfaction",
    "slug": "quiz-loyalty-is-not-satisfaction",
    "intro": (
        "<p>Seven quick questions on the difference between a satisfied customer and a loyal one. "
        "Take your time: after you submit, each answer comes with a short explanation.</p>"
    ),
    "questions": [
        # 1: satisfaction = "I expected it and I got it" = a C on the report card; loyalty is an A
        (
            "single_choice",
            {
                "prompt": (
                    "A customer leaves thinking: “That was exactly what I expected, nothing more.” "
                    "On the course's report card, what grade has your business earned?"
                ),
                "points": "1",
                "explanation": (
                    "Getting what you expected is satisfaction, which is a C: a pass, but no reason to "
                    "come back. An A means expectations were exceeded."
                ),
                "choices": [
                    {"text": "An A", "correct": False, "feedback": "An A is for going beyond what the customer expected."},
                    {"text": "A C", "correct": True, "feedback": "Right. Expected and received is satisfaction: a C."},
                    {"text": "A fail", "correct": False, "feedback": "Nothing went wrong, so it is not a fail. It is a pass, but only a C."},
                ],
            },
        ),
        # 1: satisfied customers shop around next time
        (
            "true_false",
            {
                "prompt": "A satisfied customer can usually be counted on to come straight back next time without looking at other options.",
                "points": "1",
                "explanation": (
                    "Satisfied customers have no particular reason to choose you again. Next time they "
                    "compare prices and go wherever suits them that day."
                ),
                "answer": False,
                "feedback_true": "Not quite. Satisfaction means nothing went wrong, but it gives the customer no reason to stay: they shop around.",
                "feedback_false": "Correct. Satisfied customers shop around; it is loyal customers who come back on purpose.",
            },
        ),
        # 1: satisfaction surveys measure perception of attributes, not value; they predict behaviour poorly
        (
            "single_choice",
            {
                "prompt": "Why are satisfaction surveys a weak guide to whether customers will actually come back?",
                "points": "1",
                "explanation": (
                    "A survey asks how customers rate features such as cleanliness or politeness. It does "
                    "not measure the overall value they get from dealing with you, so a good score can sit "
                    "alongside a customer who quietly switches to a rival."
                ),
                "choices": [
                    {
                        "text": "They rate features of the product or service, not the overall value the customer gets from doing business with you.",
                        "correct": True,
                        "feedback": "Exactly. Rating the features is not the same as valuing the relationship.",
                    },
                    {
                        "text": "Customers nearly always lie on surveys, so the answers are meaningless.",
                        "correct": False,
                        "feedback": "The answers can be honest and still miss the point: they measure features, not value.",
                    },
                    {
                        "text": "Surveys are only useful for businesses with thousands of customers.",
                        "correct": False,
                        "feedback": "Size is not the issue. Even an honest, well-run survey measures features rather than value.",
                    },
                    {
                        "text": "Surveys ask too few questions; adding more questions would make them reliable predictors.",
                        "correct": False,
                        "feedback": "More questions about features would still measure features. The gap is value, not length.",
                    },
                ],
            },
        ),
        # 1: a loyal customer comes back, brags, gives free word-of-mouth advertising, pays more, forgives mistakes (Reichheld)
        (
            "multiple_choice",
            {
                "prompt": (
                    "Fred Reichheld, author of “The Ultimate Question”, describes loyal customers by what "
                    "they do. Which of these behaviours are on his list? Select all that apply."
                ),
                "points": "2",
                "scoring_rule": "partial",
                "explanation": (
                    "A loyal customer comes back, brags about you, advertises you for free by word of "
                    "mouth, is willing to pay more, and forgives mistakes that are put right."
                ),
                "choices": [
                    {"text": "Recommends you enthusiastically to friends and colleagues", "correct": True},
                    {"text": "Will pay a bit more to stay with you rather than chase a cheaper option", "correct": True},
                    {"text": "Forgives the odd mistake, as long as you put it right", "correct": True},
                    {
                        "text": "Only returns when there is a discount or special offer",
                        "correct": False,
                        "feedback": "That is a bargain hunter. Loyal customers come back without needing to be lured.",
                    },
                    {
                        "text": "Gives you top marks on every satisfaction survey",
                        "correct": False,
                        "feedback": "Loyalty shows in behaviour, not survey scores; a loyal customer may never fill one in.",
                    },
                ],
            },
        ),
        # 1: loyalty is sustained only by constantly meeting qualifications, specifications and expectations
        (
            "matching",
            {
                "prompt": "Loyalty lasts only while you keep meeting three things. Match each term to the example that fits it.",
                "points": "2",
                "explanation": (
                    "Qualifications are the basics a customer insists on, specifications are the particular "
                    "way they want things done, and expectations are the standard they have come to count "
                    "on from you. All three must be met every time."
                ),
                "pairs": [
                    {"prompt": "Qualifications", "answer": "Hot water in the shower and a bed that has been made"},
                    {"prompt": "Specifications", "answer": "Tea served with lemon rather than milk, the way this guest always takes it"},
                    {"prompt": "Expectations", "answer": "The same warm, quick service the customer has had on every previous visit"},
                ],
            },
        ),
        # 1: perceived value = what customers want vs what they get from you, compared with a competitor
        (
            "single_choice",
            {
                "prompt": "Customers decide whether to stay by weighing perceived value. Which three things does that comparison bring together?",
                "points": "1",
                "explanation": (
                    "Perceived value sits where what the customer wants meets what they get from you, set "
                    "against what a competitor would give them. Give more of what they care about than the "
                    "place down the road and they stay."
                ),
                "choices": [
                    {
                        "text": "What the customer wants, what they get from you, and what a competitor would give them instead",
                        "correct": True,
                    },
                    {
                        "text": "Your price, your costs, and your profit margin",
                        "correct": False,
                        "feedback": "Those matter to the business, but the customer is weighing what they want and get against a rival.",
                    },
                    {
                        "text": "Their survey score, their number of visits, and the points on their card",
                        "correct": False,
                        "feedback": "Those are things the business counts. Perceived value is what the customer weighs up.",
                    },
                    {
                        "text": "What the customer paid, what staff were told to provide, and the company's service policy",
                        "correct": False,
                        "feedback": "Policies describe the business's side only. Perceived value includes what a competitor would offer.",
                    },
                ],
            },
        ),
        # 1: loyalty is the best predictor of a business's future strength and growth
        (
            "true_false",
            {
                "prompt": "Research points to customer loyalty, rather than satisfaction scores, as the best predictor of a business's future strength and growth.",
                "points": "1",
                "explanation": "Satisfaction tells you about yesterday; loyalty tells you about tomorrow.",
                "answer": True,
                "feedback_true": "Correct. Loyalty is the best predictor of future strength and growth.",
                "feedback_false": "It is true. Satisfaction scores predict behaviour poorly; loyalty is the best predictor of future strength and growth.",
            },
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Quiz 2: Points of connection
# ---------------------------------------------------------------------------------------------

QUIZ_POINTS_OF_CONNECTION = {
    "after_lesson": "points-of-connection",
    "title": "Quiz: Points of connection",
    "slug": "quiz-points-of-connection",
    "intro": (
        "<p>Check what you learned about points of connection: what they are, how to find them, "
        "and how they lead to a survey, a plan and continuous improvement.</p>"
    ),
    "questions": [
        # 2: a point of connection is something the customer can see, feel, smell, taste or hear
        (
            "short_text",
            {
                "prompt": "Complete the definition with one word: a point of connection is anything a customer can see, hear, feel, smell or ______.",
                "points": "1",
                "explanation": "The five senses: see, hear, feel, smell and taste. The coffee itself, a biscuit or a welcome drink are all taste points.",
                "accepted": ["taste", "tastes", "taste it"],
            },
        ),
        # 2: understanding loyal customers' expectations starts with the management team, who find the points of connection
        (
            "single_choice",
            {
                "prompt": "Where does the work of understanding what loyal customers expect begin?",
                "points": "1",
                "explanation": (
                    "It starts with the management team, who are responsible for finding the points of "
                    "connection in the customer's encounter. Staff help because they see things managers "
                    "cannot see from the office."
                ),
                "choices": [
                    {"text": "With the management team, who must find the points of connection in the customer's encounter", "correct": True},
                    {
                        "text": "With an outside agency that designs the loyalty card",
                        "correct": False,
                        "feedback": "A card is not where loyalty starts. The lesson puts this responsibility on management.",
                    },
                    {
                        "text": "With customers, who must first fill in a satisfaction survey",
                        "correct": False,
                        "feedback": "A survey comes later and mirrors the points of connection that management has already found.",
                    },
                    {
                        "text": "With new staff, during their first week on the job",
                        "correct": False,
                        "feedback": "Every employee plays a part, but the lesson says the work starts with the management team.",
                    },
                ],
            },
        ),
        # 2: the simplest way to find points of connection is to walk through the organisation as a customer would
        (
            "single_choice",
            {
                "prompt": "What is the simplest way to find a business's points of connection?",
                "points": "1",
                "explanation": (
                    "No software or consultant is needed: walk the customer's path from where they start "
                    "to the moment they leave, and note what reaches each of the five senses."
                ),
                "choices": [
                    {"text": "Walk through the business yourself, stop by stop, the way a customer would", "correct": True},
                    {
                        "text": "Buy customer-analytics software that tracks every purchase",
                        "correct": False,
                        "feedback": "Purchase data shows what was bought, not what the customer saw, heard or felt on the way.",
                    },
                    {
                        "text": "Study last year's sales figures for the busiest days",
                        "correct": False,
                        "feedback": "Sales figures cannot tell you about a sticky menu or a cold lobby.",
                    },
                    {
                        "text": "Wait for complaints and list what people mention",
                        "correct": False,
                        "feedback": "Many customers never complain; they just leave. You need to go and look.",
                    },
                ],
            },
        ),
        # 2: a point of connection is something the customer can see, feel, smell, taste or hear
        (
            "multiple_choice",
            {
                "prompt": "Which of these are points of connection for a hotel guest? Select all that apply.",
                "points": "2",
                "scoring_rule": "partial",
                "explanation": (
                    "Anything the customer can see, hear, feel, smell or taste is a point of connection. "
                    "Things that never reach the customer's senses are not."
                ),
                "choices": [
                    {"text": "The smell in the corridor on the way to the room", "correct": True},
                    {"text": "How loud the lobby music is while the guest waits to check in", "correct": True},
                    {"text": "How firm the mattress feels", "correct": True},
                    {
                        "text": "The staff rota pinned up in the back office",
                        "correct": False,
                        "feedback": "Guests never see, hear or feel the rota itself, so it is not a point of connection.",
                    },
                    {
                        "text": "The hotel's quarterly accounts",
                        "correct": False,
                        "feedback": "The accounts never reach a guest's senses.",
                    },
                ],
            },
        ),
        # 2: a customer survey can mirror the points of connection and surface unresolved problems
        (
            "true_false",
            {
                "prompt": "A customer survey built to follow the points of connection can bring to light problems that were never resolved.",
                "points": "1",
                "explanation": (
                    "A survey that follows the customer's path, stop by stop, and asks about unresolved "
                    "problems is often the only place customers mention them."
                ),
                "answer": True,
                "feedback_true": "Correct. Mirroring the points of connection, and asking about unresolved problems, is exactly what makes the survey useful.",
                "feedback_false": "It is true. Unresolved problems are the quiet reason customers drift away, and a survey is often the only place they come up.",
            },
        ),
        # 2: from the survey, a loyalty strategic plan aligns all actions with creating loyal customers
        (
            "single_choice",
            {
                "prompt": "Once the survey answers are in, management draws up a loyalty strategic plan. What does that plan do?",
                "points": "1",
                "explanation": (
                    "The plan lines up every action in the business, from rotas to menus to cleaning "
                    "schedules, behind a single goal: creating loyal customers."
                ),
                "choices": [
                    {"text": "It lines up every action in the business behind one goal: creating loyal customers", "correct": True},
                    {
                        "text": "It sets the discounts to be offered over the coming year",
                        "correct": False,
                        "feedback": "Discounts may play a small part, but the plan covers every action, not just prices.",
                    },
                    {
                        "text": "It ranks customers by how many points they have collected",
                        "correct": False,
                        "feedback": "Points are not loyalty. The plan is about what the business does, not what customers have collected.",
                    },
                    {
                        "text": "It replaces the customer survey, so no further surveys are needed",
                        "correct": False,
                        "feedback": "Improvement is a loop: you keep walking through and surveying to see what changed.",
                    },
                ],
            },
        ),
        # 2: start with a business assessment aligned to a continuous-improvement process
        (
            "ordering",
            {
                "prompt": "Improvement starts with an honest business assessment and runs as a loop. Put the steps of one round in order.",
                "points": "1",
                "explanation": (
                    "Assess the current experience, identify the critical points of connection, improve one "
                    "or two of them, then walk through and survey again to see what changed, and repeat."
                ),
                "items": [
                    "Assess the current customer experience",
                    "Identify the critical points of connection",
                    "Improve one or two of those points",
                    "Walk through and survey again to see what changed",
                ],
            },
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Quiz 3: What a customer is worth
# ---------------------------------------------------------------------------------------------

QUIZ_CUSTOMER_WORTH = {
    "after_lesson": "what-a-customer-is-worth",
    "title": "Quiz: What a customer is worth",
    "slug": "quiz-what-a-customer-is-worth",
    "intro": (
        "<p>Time to put numbers on loyalty. For the number questions, type digits only (no $ or % "
        "sign needed); commas are fine. Keep a calculator or a pen handy.</p>"
    ),
    "questions": [
        # 3: satisfied customer 4 visits x $50 = $200 a year
        (
            "numeric",
            {
                "prompt": "A satisfied customer shops with you four times a year and spends $50 on each visit. How much is she worth to you per year?",
                "points": "1",
                "explanation": "4 visits × $50 = $200 a year.",
                "answer": "200",
                "tolerance": "0",
                "unit": "$",
            },
        ),
        # 3: loyal customer $50 every week = $2,600 a year; over 10 years $26,000
        (
            "numeric",
            {
                "prompt": "A loyal customer spends $50 at the same shop every week of the year. How much is she worth over ten years?",
                "points": "1",
                "explanation": "52 weeks × $50 = $2,600 a year, and 10 years × $2,600 = $26,000: thirteen times the satisfied customer's $2,000.",
                "answer": "26000",
                "tolerance": "0",
                "unit": "$",
            },
        ),
        # 3: lifetime value = visits per year x spend per visit x years as a customer
        (
            "single_choice",
            {
                "prompt": "Which formula gives a customer's lifetime value?",
                "points": "1",
                "explanation": "Lifetime value = visits per year × spend per visit × years as a customer.",
                "choices": [
                    {"text": "Visits per year × spend per visit × years as a customer", "correct": True},
                    {
                        "text": "Spend per visit × years as a customer",
                        "correct": False,
                        "feedback": "This leaves out how often they come, which is exactly where loyal and satisfied customers differ most.",
                    },
                    {
                        "text": "Visits per year × spend per visit",
                        "correct": False,
                        "feedback": "That is the value of one year. Lifetime value multiplies by the number of years too.",
                    },
                    {
                        "text": "Today's purchase × the number of staff who served them",
                        "correct": False,
                        "feedback": "Staff numbers have nothing to do with it; and thinking only about today's purchase is the mistake the lesson warns about.",
                    },
                ],
            },
        ),
        # 3: lifetime value = visits x spend x years (worked calculation)
        (
            "numeric",
            {
                "prompt": (
                    "A customer has her hair cut at your salon 6 times a year and spends $40 each time. "
                    "If she stays with you for 5 years, what is her lifetime value?"
                ),
                "points": "1",
                "explanation": "6 visits × $40 × 5 years = $1,200.",
                "answer": "1200",
                "tolerance": "0",
                "unit": "$",
            },
        ),
        # 3: a 5% increase in customer retention can raise profitability by 25% to 100%
        (
            "numeric",
            {
                "prompt": "Keeping a small extra share of your customers can raise profitability by 25% to 100%. How big is that increase in retention, in percent?",
                "points": "1",
                "explanation": "A 5% rise in customer retention can lift profitability by 25 to 100%: small gains in who comes back have a huge effect.",
                "answer": "5",
                "tolerance": "0",
                "unit": "%",
            },
        ),
        # 3: a customer whose expectations are fulfilled has roughly a 70% chance of returning to buy again
        (
            "numeric",
            {
                "prompt": "When a customer's expectations are fulfilled, roughly what is the chance, in percent, that they come back to buy something similar again?",
                "points": "1",
                "explanation": "Roughly 70%. How soon they return depends on the product: tomorrow for coffee, perhaps next season for a hotel.",
                "answer": "70",
                "tolerance": "0",
                "unit": "%",
            },
        ),
        # 3: returning customers broaden what they buy; focusing only on the single sale forgets ongoing income; loyalty carries a business through downturns
        (
            "multiple_choice",
            {
                "prompt": "Which of these statements about returning customers are true? Select all that apply.",
                "points": "2",
                "scoring_rule": "partial",
                "explanation": (
                    "Returning customers tend to broaden what they buy, each customer is a source of "
                    "ongoing income rather than a single sale, and in a downturn it is loyal customers who "
                    "keep a business going."
                ),
                "choices": [
                    {"text": "They tend to broaden what they buy over time, such as adding lunch to their morning coffee", "correct": True},
                    {"text": "Treating each visit as a single sale overlooks the income the customer brings in over years", "correct": True},
                    {"text": "In a downturn or quiet season, loyal customers are what keep a business going", "correct": True},
                    {
                        "text": "Once a customer has returned a few times, they rarely try anything new",
                        "correct": False,
                        "feedback": "The opposite: returning customers tend to widen what they buy.",
                    },
                    {
                        "text": "In hard times, chasing new customers matters far more than keeping regulars",
                        "correct": False,
                        "feedback": "New customers become scarce in a downturn; regulars are what carry the business through.",
                    },
                ],
            },
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Quiz 4: Problem resolution
# ---------------------------------------------------------------------------------------------

QUIZ_PROBLEM_RESOLUTION = {
    "after_lesson": "problem-resolution",
    "title": "Quiz: Problem resolution",
    "slug": "quiz-problem-resolution",
    "intro": (
        "<p>Most of this quiz is customer situations. Each response earns its own points: the best "
        "scores 2, a reasonable one 1, and a poor one nothing. Read the situation carefully and pick "
        "what you would really do.</p>"
    ),
    "questions": [
        # 4: employees must embrace the loyalty philosophy over satisfaction, identify points of connection, and treat problem resolution as a critical objective
        (
            "scenario",
            {
                "situation": (
                    "During a busy lunch, a new colleague at the café counter rolls his eyes after a "
                    "customer asks for her sandwich to be remade. He says to you: “Complaints just slow us "
                    "down. If people get what they paid for, that's our job done.”"
                ),
                "prompt": "What do you do?",
                "explanation": (
                    "Loyalty training asks every employee to swap the satisfaction mindset for the loyalty "
                    "one, to notice the points of connection, and to treat problem resolution as a critical "
                    "objective rather than an interruption."
                ),
                "options": [
                    {
                        "text": (
                            "Once the rush eases, explain that the aim is to give customers more than they "
                            "expected, that sorting out problems is a core part of the job, and show him how "
                            "you handle the next one."
                        ),
                        "points": "2",
                        "feedback": "Best response. You passed on the loyalty mindset and showed that resolving problems is real work, not a distraction.",
                    },
                    {
                        "text": "Tell him that's fine, but he should at least say sorry when someone complains.",
                        "points": "1",
                        "feedback": "An apology helps, but it leaves his “they got what they paid for” mindset untouched, and problem resolution still seen as a nuisance.",
                    },
                    {
                        "text": "Agree with him: if the order matched the ticket, the customer has nothing to complain about.",
                        "points": "0",
                        "feedback": "That is the old satisfaction mindset. Customers who only get what they paid for shop around.",
                    },
                    {
                        "text": "Say nothing; he will work it out for himself in time.",
                        "points": "0",
                        "feedback": "Meanwhile customers meet his attitude at the counter. Loyalty is everyone's job, including passing it on.",
                    },
                ],
            },
        ),
        # 4: under-valuing a customer leads to wrong decisions when things go wrong
        (
            "scenario",
            {
                "situation": (
                    "At the hardware store's service desk, a decorator who buys paint and supplies from "
                    "you almost every week disputes a $4 key-cutting charge. He says it was free last "
                    "time. The price list says $4."
                ),
                "prompt": "What do you do?",
                "explanation": (
                    "If you see only four dollars, you make the wrong call. This customer is worth thousands "
                    "a year; under-valuing him leads to the wrong decision when something goes wrong."
                ),
                "options": [
                    {
                        "text": "Remove the $4 charge, thank him for mentioning it, and find out how the charge should be handled for him in future.",
                        "points": "2",
                        "feedback": "Best response. You weighed his lifetime value, not the four dollars, and fixed the cause for next time.",
                    },
                    {
                        "text": "Waive it this once, but warn him that he will be charged next time.",
                        "points": "1",
                        "feedback": "The charge is gone, but the warning leaves a sour note with a customer worth far more than $4.",
                    },
                    {
                        "text": "Point to the price list and explain that the charge is correct.",
                        "points": "0",
                        "feedback": "You may be right about the price, but you are treating a regular as a $4 transaction.",
                    },
                    {
                        "text": "Ask him to pay now and come back on Monday when the manager can look into it.",
                        "points": "0",
                        "feedback": "It makes a loyal customer do the work and wait, over a trivial sum.",
                    },
                ],
            },
        ),
        # 4: listen to needs, desires and pains; ask how they feel and what would make it easier; then act on it
        (
            "scenario",
            {
                "situation": (
                    "At 11 pm a guest phones the front desk. The room next to hers is noisy, she has a "
                    "6 am flight, and she sounds close to tears."
                ),
                "prompt": "What do you do?",
                "explanation": "Listen to her needs, desires and pains; ask how she feels and what would make it easier; then act on what she says, quickly, and follow up.",
                "options": [
                    {
                        "text": (
                            "Let her finish, ask what would help most tonight (a quieter room, or a word with "
                            "the neighbours), do it straight away, and call back to check she is settled."
                        ),
                        "points": "2",
                        "feedback": "Best response: listen, ask, act, follow up.",
                    },
                    {
                        "text": "Apologise and send someone to ask the neighbours to keep the noise down.",
                        "points": "1",
                        "feedback": "Acting quickly is good, but you did not ask what she wanted; she might have preferred to move to a quiet room.",
                    },
                    {
                        "text": "Explain that the hotel cannot control how other guests behave.",
                        "points": "0",
                        "feedback": "It may be true, but it leaves her alone with the problem.",
                    },
                    {
                        "text": "Offer her a discount on her next stay and wish her goodnight.",
                        "points": "0",
                        "feedback": "A future discount does not solve tonight's noise. Act on what she actually needs now.",
                    },
                ],
            },
        ),
        # 4: unresolved problems are a survey topic; loyal customers forgive mistakes when they are put right
        (
            "scenario",
            {
                "situation": (
                    "Reading this month's customer survey, you find a comment from a long-standing "
                    "regular: “My order for my son's birthday was late last month, and nobody ever got back "
                    "to me.” She still comes in, but less often than before."
                ),
                "prompt": "What do you do?",
                "explanation": (
                    "Surveys ask about unresolved problems because customers rarely raise them at the "
                    "counter. Loyal customers forgive mistakes, but only once they are put right."
                ),
                "options": [
                    {
                        "text": (
                            "Make sure she is contacted (by you or your manager): apologise, ask what would "
                            "put it right, act on it, and tell the team what went wrong."
                        ),
                        "points": "2",
                        "feedback": "Best response. The problem gets resolved, and a regular who was drifting away has a reason to return.",
                    },
                    {
                        "text": "Add the comment to the list for next month's team meeting.",
                        "points": "1",
                        "feedback": "Sharing it helps the team learn, but the customer herself is still waiting for someone to put it right.",
                    },
                    {
                        "text": "Leave it: she still comes in, so she has obviously forgiven it.",
                        "points": "0",
                        "feedback": "She comes in less often. An unresolved problem is the quiet reason regulars drift away.",
                    },
                    {
                        "text": "Wait and see whether she raises it in person.",
                        "points": "0",
                        "feedback": "Most customers never do; the survey may be the only time you hear about it.",
                    },
                ],
            },
        ),
        # 1: a loyal customer forgives mistakes (Reichheld), as long as they are put right
        (
            "true_false",
            {
                "prompt": "A loyal customer will keep forgiving a mistake even if nobody ever puts it right.",
                "points": "1",
                "explanation": "Loyal customers are forgiving, but they forgive mistakes that are put right. A problem left hanging becomes a story they tell their friends.",
                "answer": False,
                "feedback_true": "Not so. Forgiveness depends on the mistake being put right.",
                "feedback_false": "Correct. Loyal customers forgive mistakes that are put right, not ones that are left hanging.",
            },
        ),
        # 2: a customer survey can surface unresolved problems
        (
            "single_choice",
            {
                "prompt": "Why does a loyalty survey ask customers whether they had a problem that was not resolved?",
                "points": "1",
                "explanation": "Unresolved problems are often invisible at the counter, and a survey may be the only place a customer mentions them.",
                "choices": [
                    {
                        "text": "Because customers often say “it's fine” at the counter and simply never come back",
                        "correct": True,
                    },
                    {
                        "text": "To find out which member of staff to blame",
                        "correct": False,
                        "feedback": "The aim is to fix problems and win customers back, not to assign blame.",
                    },
                    {
                        "text": "Because customers expect to be asked, even though the answers are rarely useful",
                        "correct": False,
                        "feedback": "The answers are very useful: they reveal the quiet reasons customers drift away.",
                    },
                    {
                        "text": "To collect evidence that most customers are satisfied",
                        "correct": False,
                        "feedback": "Satisfaction is only a C. The question is there to find problems you can still put right.",
                    },
                ],
            },
        ),
        # 3: lifetime value = visits per year x spend per visit x years as a customer
        (
            "numeric",
            {
                "prompt": (
                    "Before you argue over a small charge, remember what the customer is worth. A guest "
                    "stays 12 nights a year at $110 a night. If he stays loyal for 5 years, what is his "
                    "lifetime value?"
                ),
                "points": "1",
                "explanation": "12 nights × $110 × 5 years = $6,600. Worth keeping in mind next time a few dollars are in dispute.",
                "answer": "6600",
                "tolerance": "0",
                "unit": "$",
            },
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Quiz 5: Making loyalty a business goal
# ---------------------------------------------------------------------------------------------

QUIZ_BUSINESS_GOAL = {
    "after_lesson": "making-loyalty-a-business-goal",
    "title": "Quiz: Making loyalty a business goal",
    "slug": "quiz-making-loyalty-a-business-goal",
    "intro": (
        "<p>Seven questions on the three steps that make loyalty a goal for the whole business, what "
        "goes into a real loyalty program, and the people who make it work.</p>"
    ),
    "questions": [
        # 5: step 1 enterprise-wide goal; step 2 behaviours at every level; step 3 loyalty program
        (
            "ordering",
            {
                "prompt": "Put the three steps for making loyalty a business goal in order.",
                "points": "1",
                "explanation": (
                    "Step 1: make loyalty a goal for the whole organisation. Step 2: describe the "
                    "loyalty-building behaviours at every level. Step 3: build a comprehensive loyalty program."
                ),
                "items": [
                    "Make loyalty a goal shared across the whole organisation",
                    "Describe the behaviours that build loyalty at every level",
                    "Build a comprehensive loyalty program",
                ],
            },
        ),
        # 5: step 1 = education, responsibility, accountability for every customer interaction
        (
            "multiple_choice",
            {
                "prompt": "Making loyalty everyone's goal (Step 1) involves three things. Which are they? Select three.",
                "points": "2",
                "scoring_rule": "partial",
                "explanation": (
                    "Education (everyone understands why loyalty matters), responsibility (nearly everyone "
                    "plays a part) and accountability (every customer interaction counts)."
                ),
                "choices": [
                    {"text": "Education", "correct": True},
                    {"text": "Responsibility", "correct": True},
                    {"text": "Accountability", "correct": True},
                    {"text": "Advertising", "correct": False, "feedback": "Advertising is a marketing task; Step 1 is about everyone in the business."},
                    {"text": "Discounting", "correct": False, "feedback": "Step 1 does not involve prices at all."},
                ],
            },
        ),
        # 5: step 2 = describe the behaviours at every level (product development, customer service, ...) that create loyalty
        (
            "single_choice",
            {
                "prompt": "Which of these best describes Step 2?",
                "points": "1",
                "explanation": (
                    "Step 2 spells out how each department and level, from product development to customer "
                    "service, housekeeping and management, contributes to loyalty."
                ),
                "choices": [
                    {
                        "text": "Spell out the loyalty-building behaviours for every department and level, from product development to customer service",
                        "correct": True,
                    },
                    {
                        "text": "Leave loyalty to front-line staff, since they are the ones customers meet",
                        "correct": False,
                        "feedback": "Even people who never meet a customer affect what customers feel, so every level needs its behaviours described.",
                    },
                    {
                        "text": "Launch a points card so customers have a reason to return",
                        "correct": False,
                        "feedback": "A card is not a description of behaviours, and points are not loyalty.",
                    },
                    {
                        "text": "Appoint one loyalty manager to handle everything to do with loyalty",
                        "correct": False,
                        "feedback": "Loyalty cannot be left to one person; it has to be described for every level.",
                    },
                ],
            },
        ),
        # 5: step 3 program elements: rewards for repeat purchases/referrals/reviews; thank-you communications; rewards for the team; caring gestures; listening and acting
        (
            "matching",
            {
                "prompt": "Match each part of a loyalty program to an example of it.",
                "points": "2",
                "explanation": (
                    "A comprehensive program rewards the customer behaviours you want, thanks customers "
                    "(for example with early news), shows it cares (for example birthdays), rewards the "
                    "team, and listens and acts."
                ),
                "pairs": [
                    {"prompt": "Rewards and incentives", "answer": "A free dessert for a regular who refers a friend"},
                    {"prompt": "Thank-you communications", "answer": "Letting regulars hear about a new service before it is advertised"},
                    {"prompt": "Caring gestures", "answer": "A card on the customer's birthday"},
                    {"prompt": "Rewards for the team", "answer": "Recognising the employee who recorded the most customer preferences"},
                    {"prompt": "Listening and acting", "answer": "Asking what would make things easier, then changing it"},
                ],
            },
        ),
        # 5: loyalty today includes online reviews and social sharing
        (
            "true_false",
            {
                "prompt": "Today, loyalty includes more than coming back: it also covers what customers do online, such as posting reviews and sharing recommendations.",
                "points": "1",
                "explanation": "A single glowing online review can be read by thousands of people you will never meet.",
                "answer": True,
                "feedback_true": "Correct. Reviews, social sharing and testimonials are part of loyalty today.",
                "feedback_false": "It is true. Loyalty now includes online reviews, social sharing and testimonials as well as repeat visits.",
            },
        ),
        # 5: the goal is a delighted customer who becomes an evangelist
        (
            "short_text",
            {
                "prompt": "What word does the course use for a delighted customer who spreads the word about you because they want others to have the same experience?",
                "points": "1",
                "explanation": "The goal is a delighted customer who becomes an evangelist.",
                "accepted": [
                    "evangelist",
                    "an evangelist",
                    "evangelists",
                    "a evangelist",
                    "customer evangelist",
                    "a customer evangelist",
                    "brand evangelist",
                ],
            },
        ),
        # 5: hire people who care, empower them, treat them well
        (
            "multiple_choice",
            {
                "prompt": "No loyalty program works without the right people. Which three things does the course say a business should do? Select three.",
                "points": "2",
                "scoring_rule": "partial",
                "explanation": "Hire people who care, empower them to delight customers, and treat them well.",
                "choices": [
                    {"text": "Hire people who care about customers", "correct": True},
                    {"text": "Empower staff to delight customers, such as replacing a drink without asking permission", "correct": True},
                    {"text": "Treat staff well", "correct": True},
                    {
                        "text": "Script every conversation so staff never go off-message",
                        "correct": False,
                        "feedback": "Scripts leave no room to treat people as individuals or to put things right.",
                    },
                    {
                        "text": "Require a manager's sign-off before any refund, however small",
                        "correct": False,
                        "feedback": "That is the opposite of empowering staff to put things right on the spot.",
                    },
                ],
            },
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Quiz 6: Service beyond the transaction
# ---------------------------------------------------------------------------------------------

QUIZ_BEYOND_TRANSACTION = {
    "after_lesson": "service-beyond-the-transaction",
    "title": "Quiz: Service beyond the transaction",
    "slug": "quiz-service-beyond-the-transaction",
    "intro": (
        "<p>The last lesson quiz: points and cards, the two models for thinking about your best "
        "customers, remembering people, and the Random Act of Worth.</p>"
    ),
    "questions": [
        # 1: points, cards and rewards are not loyalty; loyalty is two-way
        (
            "true_false",
            {
                "prompt": "A customer who carries your loyalty card and collects points on every visit is, by definition, a loyal customer.",
                "points": "1",
                "explanation": "Cards, points and rewards can support loyalty but cannot create it. Loyalty is a relationship, and it runs both ways.",
                "answer": False,
                "feedback_true": "Not so. Holding a card is not the same as being loyal; most people carry cards for many competing businesses.",
                "feedback_false": "Correct. Points and cards are not loyalty; loyalty is a two-way relationship.",
            },
        ),
        # 1: programs that punish inactivity (points expire after 12 months without a stay) can destroy goodwill
        (
            "single_choice",
            {
                "prompt": "A hotel program wipes a guest's points after 12 months without a stay. What is the main risk of a rule like this?",
                "points": "1",
                "explanation": "Rules that punish inactivity can wipe out years of goodwill, even from guests who have been recommending you all along.",
                "choices": [
                    {
                        "text": "It punishes a long-standing guest for one quiet year and can destroy the goodwill they felt",
                        "correct": True,
                    },
                    {
                        "text": "Guests will build up too many points and cost the hotel money",
                        "correct": False,
                        "feedback": "The cost of points is not the issue the lesson raises; the lost goodwill is.",
                    },
                    {
                        "text": "None: guests rarely notice when their points expire",
                        "correct": False,
                        "feedback": "They notice, and a guest who loses everything after years of stays can feel badly treated.",
                    },
                    {
                        "text": "It makes guests more loyal, because they hurry back to keep their points",
                        "correct": False,
                        "feedback": "A rush to save points is not loyalty, and for many guests the rule ends the relationship instead.",
                    },
                ],
            },
        ),
        # 1: Standard model "What has the customer done for me lately?" vs Partnership model; 6: Random Act of Worth
        (
            "matching",
            {
                "prompt": "Match each idea from the lesson to what it means.",
                "points": "2",
                "explanation": (
                    "The Standard model asks what the customer has done for us; the Partnership model asks "
                    "what we have done for our most loyal customers. Points can support loyalty but cannot "
                    "create it, and a Random Act of Worth is help given with nothing expected back."
                ),
                "pairs": [
                    {"prompt": "Standard model", "answer": "“What has the customer done for me lately?”"},
                    {"prompt": "Partnership model", "answer": "“What have I done lately for my most loyal customers?”"},
                    {"prompt": "Points and cards", "answer": "Can support loyalty, but cannot create it"},
                    {"prompt": "Random Act of Worth", "answer": "A day spent helping at a customer's business, expecting nothing in return"},
                ],
            },
        ),
        # 1: Partnership model: "What have I done lately for my most loyal customers?"
        (
            "short_text",
            {
                "prompt": "Which model turns the question around and asks: “What have I done lately for my most loyal customers?”",
                "points": "1",
                "explanation": "The Partnership model measures our loyalty to customers, not just theirs to us. It is what makes a business stand out.",
                "accepted": [
                    "partnership model",
                    "the partnership model",
                    "partnership",
                    "partnership-model",
                    "the partnership-model",
                ],
            },
        ),
        # 1: remember repeat customers, address them by name, treat them as individuals (pillows, milk, note)
        (
            "multiple_choice",
            {
                "prompt": "In the lesson's true story of a returning hotel guest, what did the staff do? Select all that apply.",
                "points": "2",
                "scoring_rule": "partial",
                "explanation": (
                    "They greeted her by name and thanked her for returning, had the extra feather pillows "
                    "she asked for last time ready, chilled her water and apples, replaced the milk and left "
                    "a handwritten note. None of it cost much; all of it was remembered."
                ),
                "choices": [
                    {"text": "Greeted her by name and thanked her for coming back", "correct": True},
                    {"text": "Put the extra feather pillows she had asked for on her last visit in her room", "correct": True},
                    {"text": "Replaced the milk she had finished and left her a handwritten note", "correct": True},
                    {
                        "text": "Upgraded her to a suite free of charge",
                        "correct": False,
                        "feedback": "No upgrade was involved. Small, remembered touches did the work.",
                    },
                    {
                        "text": "Gave her double points on her loyalty card",
                        "correct": False,
                        "feedback": "Points played no part in the story; remembering her as a person did.",
                    },
                ],
            },
        ),
        # 6: Random Act of Worth: spend a day at a customer's place of business helping, expecting nothing in return
        (
            "single_choice",
            {
                "prompt": "Which of these is a Random Act of Worth?",
                "points": "1",
                "explanation": "A Random Act of Worth means spending a day at a customer's place of business, helping in any way you can, and expecting nothing in return.",
                "choices": [
                    {
                        "text": "A bakery team spends a day helping a regular customer's bookshop through its stock-take, expecting nothing back",
                        "correct": True,
                    },
                    {
                        "text": "A sales rep spends a day at a client's office demonstrating new products and taking orders",
                        "correct": False,
                        "feedback": "That is a sales visit. A Random Act of Worth sells nothing and expects nothing in return.",
                    },
                    {
                        "text": "A café gives a free coffee to any customer who posts a review",
                        "correct": False,
                        "feedback": "That is a reward in exchange for something. A Random Act of Worth expects nothing back.",
                    },
                    {
                        "text": "A shop emails every customer a discount code on their birthday",
                        "correct": False,
                        "feedback": "A kind gesture, but it happens in your business, not as a day of help at the customer's.",
                    },
                ],
            },
        ),
        # 6: consider all touchpoints, channels and markets; find out how each person wants to be treated
        (
            "single_choice",
            {
                "prompt": (
                    "Two regulars come in at the same time each morning. One loves a chat; the other wants "
                    "her order ready and no small talk. What is the best approach?"
                ),
                "points": "1",
                "explanation": (
                    "Find out how each person wants to be treated and build the relationship on that, at "
                    "every touchpoint, channel and market you serve. Write it down so the team knows."
                ),
                "choices": [
                    {
                        "text": "Serve each the way they prefer, and note their preferences so the whole team can do the same",
                        "correct": True,
                    },
                    {
                        "text": "Give both the same friendly chat, so service is consistent",
                        "correct": False,
                        "feedback": "Consistent is not the same as identical. Treating people as individuals means learning what each prefers.",
                    },
                    {
                        "text": "Keep it short with both, so the queue moves quickly",
                        "correct": False,
                        "feedback": "Speed suits one of them, but the other would feel treated as a number.",
                    },
                    {
                        "text": "Ask both to fill in a satisfaction survey about the service",
                        "correct": False,
                        "feedback": "You can learn what each wants simply by asking and observing; a survey rates features, not the person.",
                    },
                ],
            },
        ),
    ],
}


LESSON_QUIZZES = [
    QUIZ_LOYALTY_NOT_SATISFACTION,
    QUIZ_POINTS_OF_CONNECTION,
    QUIZ_CUSTOMER_WORTH,
    QUIZ_PROBLEM_RESOLUTION,
    QUIZ_BUSINESS_GOAL,
    QUIZ_BEYOND_TRANSACTION,
]


# ---------------------------------------------------------------------------------------------
# Final assessment: a pool of questions; each attempt draws 15
# ---------------------------------------------------------------------------------------------

FINAL_ASSESSMENT = {
    "title": "Final assessment",
    "slug": "final-assessment",
    "intro": (
        "<p>This assessment covers the whole course. Each attempt draws 15 questions at random from "
        "a larger pool, so no two attempts are quite the same.</p>"
        "<p>For number questions, type digits only (no $ or % sign needed). Customer situations "
        "award points for each response: the best earns full marks, a reasonable one earns some.</p>"
    ),
    "questions": [
        # ---- Section 1: loyalty is not satisfaction --------------------------------------------
        # 1: satisfaction = C; loyalty is an A (expectations exceeded)
        (
            "true_false",
            {
                "prompt": "On the course's report card, a customer whose expectations were exceeded gives your business a C.",
                "points": "1",
                "explanation": "Exceeded expectations earn an A, which is loyalty. A C is satisfaction: “I expected it and I got it.”",
                "answer": False,
                "feedback_true": "Not quite: a C is for expectations merely met. Exceeding them earns an A.",
                "feedback_false": "Correct. Exceeding expectations earns an A; just meeting them is a C.",
            },
        ),
        # 1: satisfaction surveys measure perception of attributes, not value; predict behaviour poorly
        (
            "single_choice",
            {
                "prompt": (
                    "A hotel's survey gives it top marks for clean rooms, polite staff and accurate bills. "
                    "What can the hotel safely conclude?"
                ),
                "points": "1",
                "explanation": (
                    "Satisfaction surveys measure how guests rate features, not the value they get from the "
                    "hotel overall, so they are poor at predicting whether guests will come back."
                ),
                "choices": [
                    {"text": "That guests found little wrong, but not that they will come back", "correct": True},
                    {
                        "text": "That most of these guests are now loyal and will return",
                        "correct": False,
                        "feedback": "A good score says nothing went wrong; a guest can tick every box and still book elsewhere to save ten dollars.",
                    },
                    {
                        "text": "That guests will happily pay higher prices next year",
                        "correct": False,
                        "feedback": "Willingness to pay more is a sign of loyalty, which a features survey does not measure.",
                    },
                    {
                        "text": "That there is no need to walk through the hotel as a guest would",
                        "correct": False,
                        "feedback": "The walkthrough finds points of connection a features survey never asks about.",
                    },
                ],
            },
        ),
        # 1: a loyal customer comes back, brags, gives free word-of-mouth advertising, pays more, forgives mistakes (Reichheld)
        (
            "multiple_choice",
            {
                "prompt": "Which of these behaviours mark a loyal customer, as Fred Reichheld describes them? Select all that apply.",
                "points": "2",
                "scoring_rule": "partial",
                "explanation": "Loyal customers come back, brag about you, advertise you for free by word of mouth, pay more to stay with you, and forgive mistakes.",
                "choices": [
                    {"text": "Keeps coming back without needing to be lured", "correct": True},
                    {"text": "Brings you new customers through free word-of-mouth advertising", "correct": True},
                    {"text": "Sticks with you even when a cheaper option exists", "correct": True},
                    {
                        "text": "Takes their business elsewhere after a single mistake",
                        "correct": False,
                        "feedback": "Loyal customers forgive mistakes, as long as they are put right.",
                    },
                    {
                        "text": "Visits only when a promotion is running",
                        "correct": False,
                        "feedback": "That is a deal seeker, not a loyal customer.",
                    },
                ],
            },
        ),
        # 1: loyalty is the best predictor of future strength and growth
        (
            "short_text",
            {
                "prompt": "Research points to one thing as the best predictor of a business's future strength and growth. What is it? (Two words.)",
                "points": "1",
                "explanation": "Customer loyalty. Satisfaction describes yesterday; loyalty predicts tomorrow.",
                "accepted": [
                    "customer loyalty",
                    "loyalty",
                    "loyal customers",
                    "customers' loyalty",
                    "the loyalty of customers",
                ],
            },
        ),
        # 1: perceived value (want vs get vs competitor); loyalty sustained only by constantly meeting qualifications, specifications and expectations
        (
            "single_choice",
            {
                "prompt": "What keeps a customer loyal over time?",
                "points": "1",
                "explanation": (
                    "Loyalty is not won once. It lasts only while you keep meeting the customer's "
                    "qualifications, specifications and expectations, giving them more of what they value "
                    "than a competitor would."
                ),
                "choices": [
                    {"text": "Meeting their qualifications, specifications and expectations on every visit", "correct": True},
                    {
                        "text": "One outstanding first visit, which wins them for good",
                        "correct": False,
                        "feedback": "Loyalty is not won once and kept forever; it has to be earned every time.",
                    },
                    {
                        "text": "Sending them regular discount codes",
                        "correct": False,
                        "feedback": "Discounts can be matched by any rival; perceived value is about what the customer cares about.",
                    },
                    {
                        "text": "A high score on the satisfaction survey",
                        "correct": False,
                        "feedback": "Satisfaction scores are poor predictors of whether customers stay.",
                    },
                ],
            },
        ),
        # 1: points, cards and rewards are not loyalty; loyalty is two-way; programs punishing inactivity (12-month expiry) destroy goodwill
        (
            "multiple_choice",
            {
                "prompt": "Which statements about points, cards and rewards are true? Select all that apply.",
                "points": "2",
                "scoring_rule": "partial",
                "explanation": (
                    "Points and cards can support loyalty but cannot create it; loyalty is a two-way "
                    "relationship. Rules that punish inactivity, like points expiring after 12 months "
                    "without a stay, can destroy goodwill."
                ),
                "choices": [
                    {"text": "They can support loyalty, but they cannot create it", "correct": True},
                    {"text": "Loyalty is a relationship that has to run both ways", "correct": True},
                    {"text": "Wiping a guest's points after 12 months without a stay can destroy their goodwill", "correct": True},
                    {
                        "text": "A customer with a full stamp card is a loyal customer",
                        "correct": False,
                        "feedback": "Many people carry cards for several competing shops. A card is not loyalty.",
                    },
                    {
                        "text": "The stricter the rules for keeping points, the more loyal customers become",
                        "correct": False,
                        "feedback": "Strict rules that punish customers tend to destroy goodwill, not build it.",
                    },
                ],
            },
        ),
        # 1: Standard model: "What has the customer done for me lately?"
        (
            "short_text",
            {
                "prompt": "Which model judges customers by asking “What has the customer done for me lately?”",
                "points": "1",
                "explanation": "That is the Standard model. The Partnership model turns it around: what have I done lately for my most loyal customers?",
                "accepted": ["standard model", "the standard model", "standard", "standard-model", "the standard-model"],
            },
        ),
        # 1: remember repeat customers, address them by name, treat them as individuals (the hotel that remembered the pillows)
        (
            "single_choice",
            {
                "prompt": (
                    "On her last stay, a guest asked for extra feather pillows. She is due to check in "
                    "again today. Which approach follows the Partnership model?"
                ),
                "points": "1",
                "explanation": (
                    "Remember repeat customers, greet them by name and treat them as individuals: check the "
                    "record, have the pillows waiting and welcome her back."
                ),
                "choices": [
                    {
                        "text": "Check her record before she arrives, have the pillows in the room, and welcome her back by name",
                        "correct": True,
                    },
                    {
                        "text": "Wait for her to ask for pillows again, then send them up promptly",
                        "correct": False,
                        "feedback": "Prompt, but she has to ask twice. Remembering her is what makes the difference.",
                    },
                    {
                        "text": "Offer her double points for this stay instead",
                        "correct": False,
                        "feedback": "Points do not show that you remember her as a person.",
                    },
                    {
                        "text": "Give her the same standard check-in as every guest, so everyone is treated equally",
                        "correct": False,
                        "feedback": "Treating everyone identically treats nobody as an individual.",
                    },
                ],
            },
        ),
        # ---- Section 2: points of connection ----------------------------------------------------
        # 2: understanding loyal customers' expectations starts with the management team, who find the points of connection
        (
            "single_choice",
            {
                "prompt": "Who is responsible for finding the points of connection in the customer's encounter with the business?",
                "points": "1",
                "explanation": "Understanding loyal customers' expectations starts with the management team, helped by staff who notice things every day.",
                "choices": [
                    {"text": "The management team", "correct": True},
                    {
                        "text": "The customers themselves",
                        "correct": False,
                        "feedback": "Customers experience the points of connection; the business has to find them.",
                    },
                    {
                        "text": "The company that prints the loyalty cards",
                        "correct": False,
                        "feedback": "Cards are not loyalty, and an outside printer never sees the customer's visit.",
                    },
                    {
                        "text": "Nobody in particular: they are obvious and need no looking for",
                        "correct": False,
                        "feedback": "Many are easy to miss from the office, which is why someone has to go and find them.",
                    },
                ],
            },
        ),
        # 2: a point of connection is something the customer can see, feel, smell, taste or hear
        (
            "short_text",
            {
                "prompt": "A point of connection is anything the customer can see, hear, feel, taste or ______. Fill in the missing sense.",
                "points": "1",
                "explanation": "Smell: fresh coffee and clean towels, or the bins by the back door.",
                "accepted": ["smell", "smells", "smell it", "scent"],
            },
        ),
        # 2: the simplest way to find points of connection is to walk through the organisation as a customer would
        (
            "true_false",
            {
                "prompt": "The simplest way to find points of connection is to walk through the business yourself, following the same path a customer takes.",
                "points": "1",
                "explanation": "Start where the customer starts, follow their path to the door on the way out, and note what reaches each sense, ideally at a busy time.",
                "answer": True,
                "feedback_true": "Correct. No software or consultant needed: walk it as a customer would.",
                "feedback_false": "It is true. Literally walking through as a customer is the simplest method.",
            },
        ),
        # 2: walk through; a survey mirrors the points of connection; from it a loyalty strategic plan aligns all actions
        (
            "ordering",
            {
                "prompt": "Put these steps in the order the course describes, from finding points of connection to a plan.",
                "points": "1",
                "explanation": (
                    "Walk through to find the points of connection, build a survey that mirrors them "
                    "(including unresolved problems), then use the answers to draw up a loyalty strategic "
                    "plan that aligns every action with creating loyal customers."
                ),
                "items": [
                    "Walk through the business as a customer to find the points of connection",
                    "Build a customer survey that follows those points of connection",
                    "Use the answers to draw up a loyalty strategic plan that lines up every action behind creating loyal customers",
                ],
            },
        ),
        # 2: start with a business assessment aligned to a continuous-improvement process
        (
            "single_choice",
            {
                "prompt": "How should a business approach improving its customer experience?",
                "points": "1",
                "explanation": (
                    "Start with an honest business assessment and feed it into continuous improvement: "
                    "assess, identify, improve, then walk through and survey again."
                ),
                "choices": [
                    {"text": "Start with an honest assessment of where it stands, then improve continuously in a repeating loop", "correct": True},
                    {
                        "text": "As a one-off project, finished before the next busy season",
                        "correct": False,
                        "feedback": "Improvement is a loop, not a project with an end date.",
                    },
                    {
                        "text": "Only after a customer makes a formal complaint",
                        "correct": False,
                        "feedback": "Most unhappy customers never complain. An assessment finds problems first.",
                    },
                    {
                        "text": "By copying whatever the nearest competitor is doing",
                        "correct": False,
                        "feedback": "You need to know where your own business stands, stop by stop.",
                    },
                ],
            },
        ),
        # ---- Section 3: what a customer is worth ------------------------------------------------
        # 3: loyal customer: $50 every week = $2,600 a year
        (
            "numeric",
            {
                "prompt": "A loyal customer spends $50 with you every week. What is she worth per year?",
                "points": "1",
                "explanation": "52 weeks × $50 = $2,600 a year.",
                "answer": "2600",
                "tolerance": "0",
                "unit": "$",
            },
        ),
        # 3: satisfied customer: 4 visits x $50 = $200 a year; over 10 years $2,000
        (
            "numeric",
            {
                "prompt": "A satisfied customer visits four times a year and spends $50 each time. What is she worth over ten years?",
                "points": "1",
                "explanation": "4 × $50 = $200 a year, so 10 years × $200 = $2,000.",
                "answer": "2000",
                "tolerance": "0",
                "unit": "$",
            },
        ),
        # 3: satisfied $200/year, $2,000 over 10 years; loyal $2,600/year, $26,000 over 10 years
        (
            "matching",
            {
                "prompt": "Both customers spend $50 a visit. The satisfied one comes 4 times a year, the loyal one every week. Match each to its value.",
                "points": "2",
                "explanation": "Satisfied: $200 a year, $2,000 over ten years. Loyal: $2,600 a year, $26,000 over ten years.",
                "pairs": [
                    {"prompt": "Satisfied customer, one year", "answer": "$200"},
                    {"prompt": "Satisfied customer, ten years", "answer": "$2,000"},
                    {"prompt": "Loyal customer, one year", "answer": "$2,600"},
                    {"prompt": "Loyal customer, ten years", "answer": "$26,000"},
                ],
            },
        ),
        # 3: lifetime value = visits per year x spend per visit x years as a customer (worked calculation)
        (
            "numeric",
            {
                "prompt": "A customer visits your garden centre 12 times a year and spends $25 each time. What is she worth if she stays for 8 years?",
                "points": "1",
                "explanation": "Lifetime value = visits per year × spend per visit × years: 12 × $25 × 8 = $2,400.",
                "answer": "2400",
                "tolerance": "0",
                "unit": "$",
            },
        ),
        # 3: a customer whose expectations are fulfilled has roughly a 70% chance of returning
        (
            "numeric",
            {
                "prompt": "Roughly what percentage of customers whose expectations are fulfilled will come back to buy again?",
                "points": "1",
                "explanation": "About 70%. Returning customers also tend to broaden what they buy.",
                "answer": "70",
                "tolerance": "0",
                "unit": "%",
            },
        ),
        # 3: a 5% increase in customer retention can raise profitability by 25% to 100%
        (
            "numeric",
            {
                "prompt": "What percentage increase in customer retention can raise profitability by 25% to 100%?",
                "points": "1",
                "explanation": "Just 5% more customers retained can raise profitability by 25 to 100%.",
                "answer": "5",
                "tolerance": "0",
                "unit": "%",
            },
        ),
        # 3: a 5% increase in customer retention can raise profitability by 25% to 100%
        (
            "single_choice",
            {
                "prompt": "Keeping 5% more of your customers can raise profitability by how much?",
                "points": "1",
                "explanation": "By 25% to 100%. Small improvements in retention have a huge effect on profit.",
                "choices": [
                    {"text": "25% to 100%", "correct": True},
                    {"text": "1% to 5%", "correct": False, "feedback": "Far more than that: the effect of retention on profit is out of all proportion to the 5%."},
                    {"text": "5% to 10%", "correct": False, "feedback": "Much more: 25% to 100%."},
                    {"text": "200% to 300%", "correct": False, "feedback": "Too high: the figure is 25% to 100%."},
                ],
            },
        ),
        # 3: returning customers tend to broaden what they buy
        (
            "true_false",
            {
                "prompt": "Returning customers tend to stick to exactly what they bought on their first visit.",
                "points": "1",
                "explanation": "Returning customers tend to broaden what they buy: coffee becomes coffee and a croissant, then lunch, then an office order.",
                "answer": False,
                "feedback_true": "Not so: returning customers tend to widen what they buy over time.",
                "feedback_false": "Correct. Every return visit is a chance for the relationship, and the spending, to grow.",
            },
        ),
        # 3: focusing only on the single sale forgets ongoing income; in downturns loyalty carries a business through
        (
            "single_choice",
            {
                "prompt": "Why is it a mistake to think only about the single sale in front of you?",
                "points": "1",
                "explanation": (
                    "Each customer is a source of ongoing income that can last years, and when times are "
                    "hard it is loyal customers who carry the business through."
                ),
                "choices": [
                    {
                        "text": "It forgets the ongoing income the customer brings over years, which is what carries a business through a downturn",
                        "correct": True,
                    },
                    {
                        "text": "Single sales are too small to be worth recording",
                        "correct": False,
                        "feedback": "Every sale counts; the point is that the customer is worth far more than one sale.",
                    },
                    {
                        "text": "It slows the queue down",
                        "correct": False,
                        "feedback": "Speed is not the issue; the issue is under-valuing the customer.",
                    },
                    {
                        "text": "In a downturn, new customers replace any regulars you lose",
                        "correct": False,
                        "feedback": "In a downturn new customers become scarce; regulars keep the business going.",
                    },
                ],
            },
        ),
        # ---- Section 4: problem resolution (all scenarios) -------------------------------------
        # 4: employees trained to embrace loyalty over satisfaction, identify points of connection, and see problem resolution as critical
        (
            "scenario",
            {
                "situation": (
                    "You are a shift leader at a hotel front desk, and a new receptionist starts tomorrow. "
                    "You have one hour to introduce her to the job's priorities."
                ),
                "prompt": "What do you do?",
                "explanation": (
                    "Training for loyalty asks every employee to embrace the loyalty philosophy over the old "
                    "satisfaction one, to identify the points of connection, and to treat problem resolution "
                    "as a critical objective."
                ),
                "options": [
                    {
                        "text": (
                            "Explain the aim of exceeding expectations rather than just meeting them, walk her "
                            "through the guest's points of connection, and stress that fixing problems is a core "
                            "part of her job."
                        ),
                        "points": "2",
                        "feedback": "Best response: the loyalty mindset, points of connection and problem resolution, all three.",
                    },
                    {
                        "text": "Show her how to apologise politely and pass any complaint to the duty manager.",
                        "points": "1",
                        "feedback": "Politeness helps, but handing every problem on treats resolution as someone else's job.",
                    },
                    {
                        "text": "Spend the hour on the points-card rules so she can sign guests up.",
                        "points": "0",
                        "feedback": "Points are not loyalty. This misses the mindset, the points of connection and problem resolution.",
                    },
                    {
                        "text": "Tell her to keep check-in fast: a guest who gets the room they paid for has nothing to complain about.",
                        "points": "0",
                        "feedback": "That is the old satisfaction mindset, and satisfied guests shop around.",
                    },
                ],
            },
        ),
        # 4: under-valuing a customer leads to wrong decisions when things go wrong
        (
            "scenario",
            {
                "situation": (
                    "A regular who buys lunch at your café four days a week tells you her $7 soup was only "
                    "lukewarm. She has already eaten about half of it."
                ),
                "prompt": "What do you do?",
                "explanation": (
                    "Seen as a $7 soup, it is tempting to haggle. Seen as a customer worth well over a "
                    "thousand dollars a year, the right call is obvious. Under-valuing the customer leads to "
                    "the wrong decision."
                ),
                "options": [
                    {
                        "text": "Apologise, bring her a fresh, hot bowl at no charge right away, and thank her for telling you.",
                        "points": "2",
                        "feedback": "Best response. A few dollars spent keeps a customer worth thousands.",
                    },
                    {
                        "text": "Offer to reheat what is left in her bowl.",
                        "points": "1",
                        "feedback": "It fixes the temperature, but it feels grudging for a regular of her value.",
                    },
                    {
                        "text": "Since she has eaten half, offer a replacement at half price.",
                        "points": "0",
                        "feedback": "Haggling over a few dollars with a regular tells her she is worth no more than today's bill.",
                    },
                    {
                        "text": "Explain that the soup leaves the kitchen at the right temperature, so it must have cooled while she sat.",
                        "points": "0",
                        "feedback": "Defending the kitchen puts being right ahead of keeping the customer.",
                    },
                ],
            },
        ),
        # 4: listen to needs, desires and pains; ask how they feel and what would make it easier; then act
        (
            "scenario",
            {
                "situation": (
                    "At the repair shop's service desk, a customer returns a phone you repaired last week. "
                    "The fault is back, she needs the phone for work tomorrow, and she is clearly upset."
                ),
                "prompt": "What do you do?",
                "explanation": "Listen to her needs, desires and pains; ask how she feels and what would make things easier; then act on what she tells you and agree a follow-up.",
                "options": [
                    {
                        "text": (
                            "Let her explain fully, ask what would make tomorrow easier (such as a loan phone), "
                            "arrange it and a priority re-repair, and agree when you will call her."
                        ),
                        "points": "2",
                        "feedback": "Best response: you listened, asked, acted on her answer and set a follow-up.",
                    },
                    {
                        "text": "Apologise and book the phone in for another repair next week.",
                        "points": "1",
                        "feedback": "The phone will be fixed, but you did not ask about tomorrow, which is her real pain.",
                    },
                    {
                        "text": "Start explaining the technical reasons the fault came back before she has finished talking.",
                        "points": "0",
                        "feedback": "Preparing your defence while she talks is the opposite of listening.",
                    },
                    {
                        "text": "Tell her the repair warranty needs a claim form, and hand her one to fill in.",
                        "points": "0",
                        "feedback": "Quoting process first leaves her alone with the problem.",
                    },
                ],
            },
        ),
        # 4: unresolved problems are a survey topic
        (
            "scenario",
            {
                "situation": (
                    "The monthly survey, which follows the points of connection, shows that several "
                    "regulars had to leave to find a cash machine because your card reader failed. None of "
                    "them mentioned it at the counter."
                ),
                "prompt": "What do you do?",
                "explanation": "Unresolved problems are exactly what the survey is there to surface. Once they are known, put them right and let customers see it.",
                "options": [
                    {
                        "text": (
                            "Report the details to your manager, push for a fix or a back-up reader, and tell "
                            "regulars what has been done when you next see them."
                        ),
                        "points": "2",
                        "feedback": "Best response. The problem is resolved and the customers who suffered it know you listened.",
                    },
                    {
                        "text": "Put up a sign warning that the card reader sometimes fails.",
                        "points": "1",
                        "feedback": "Honest, but it warns customers about a problem instead of fixing it.",
                    },
                    {
                        "text": "Ignore it: the regulars still come, so it cannot matter much.",
                        "points": "0",
                        "feedback": "Unresolved problems are the quiet reason regulars drift away.",
                    },
                    {
                        "text": "Decide the survey exaggerates, since nobody complained at the time.",
                        "points": "0",
                        "feedback": "Customers rarely complain at the counter; that is why surveys ask.",
                    },
                ],
            },
        ),
        # 4: loyal customers forgive mistakes when they are put right
        (
            "scenario",
            {
                "situation": (
                    "A guest who has stayed with your hotel for five years finds his room has not been "
                    "cleaned today. He says calmly: “These things happen. Can it be sorted before my "
                    "dinner guests come up at seven?”"
                ),
                "prompt": "What do you do?",
                "explanation": "Loyal customers forgive mistakes, as long as they are put right. His patience is a gift; repay it by fixing the problem quickly and well.",
                "options": [
                    {
                        "text": "Thank him for his patience, get housekeeping there now, and call him to confirm it is done well before seven.",
                        "points": "2",
                        "feedback": "Best response. The mistake is put right, so his forgiveness is deserved.",
                    },
                    {
                        "text": "Send up fresh towels now and arrange a full clean for tomorrow morning.",
                        "points": "1",
                        "feedback": "Something is done, but not what he asked for: a clean room before seven.",
                    },
                    {
                        "text": "Since he says it does not matter, note it and move on.",
                        "points": "0",
                        "feedback": "He forgave the mistake on the understanding that it would be fixed. Leaving it wastes that goodwill.",
                    },
                ],
            },
        ),
        # ---- Section 5: making loyalty a business goal ------------------------------------------
        # 5: step 1 enterprise-wide goal; step 2 behaviours at every level; step 3 loyalty program
        (
            "ordering",
            {
                "prompt": "Put these in the order of the three steps that turn loyalty into a business goal.",
                "points": "1",
                "explanation": "First make loyalty everyone's goal, then describe the behaviours at every level, then build the loyalty program.",
                "items": [
                    "Raise loyalty to a goal for the entire organisation, with education, responsibility and accountability",
                    "Describe how each level and department, from product development to customer service, builds loyalty",
                    "Build a program of rewards, thanks, caring gestures, team rewards and listening",
                ],
            },
        ),
        # 5: step 1 = education, responsibility, accountability for every customer interaction
        (
            "short_text",
            {
                "prompt": "Step 1 makes loyalty a goal for everyone through education, responsibility and ______ for every customer interaction. Fill in the missing word.",
                "points": "1",
                "explanation": "Accountability: every customer interaction counts, and each of us owns the ones we are part of.",
                "accepted": ["accountability", "accountable", "being accountable"],
            },
        ),
        # 5: step 3 program: thank-you communications (early announcements, shaping new products, insider reports); caring gestures; rewards
        (
            "matching",
            {
                "prompt": "Match each example to the part of a loyalty program it belongs to.",
                "points": "2",
                "explanation": (
                    "Rewards encourage the behaviours you want, such as referrals and reviews. Thank-you "
                    "communications include early announcements, shaping new products and insider reports. "
                    "Caring gestures include coupons, limited-attendance events, private product "
                    "introductions, birthdays and anniversaries."
                ),
                "pairs": [
                    {"prompt": "A discount for a customer who shares a testimonial", "answer": "Rewards and incentives"},
                    {"prompt": "An insider report on what the business is planning next", "answer": "Thank-you communications"},
                    {"prompt": "An invitation to a sale with limited places", "answer": "Caring gestures"},
                    {"prompt": "A bonus for staff whose regulars keep coming back", "answer": "Rewards for the team"},
                ],
            },
        ),
        # 5: step 3 program elements: rewards for repeat purchases, referrals, reviews; rewards for the team; birthdays and anniversaries
        (
            "multiple_choice",
            {
                "prompt": "Which of these belong in a comprehensive loyalty program? Select all that apply.",
                "points": "2",
                "scoring_rule": "partial",
                "explanation": (
                    "A real program rewards repeat purchases, referrals and reviews, rewards the team, "
                    "remembers birthdays and anniversaries, communicates across every touch point, and "
                    "listens and acts. Penalties and a lone stamp card do not make a program."
                ),
                "choices": [
                    {"text": "Rewards for repeat purchases, referrals and positive reviews", "correct": True},
                    {"text": "Rewards for employees who help create loyal customers", "correct": True},
                    {"text": "Remembering customers' birthdays and anniversaries", "correct": True},
                    {
                        "text": "Penalties for customers who stop visiting for a year",
                        "correct": False,
                        "feedback": "Punishing inactivity destroys goodwill.",
                    },
                    {
                        "text": "A stamp card, with nothing else",
                        "correct": False,
                        "feedback": "A good program is much more than a stamp card.",
                    },
                ],
            },
        ),
        # 5: loyalty today includes online reviews and social sharing; the goal is a delighted customer who becomes an evangelist
        (
            "single_choice",
            {
                "prompt": "What kind of customer is a business aiming for when it makes loyalty a goal?",
                "points": "1",
                "explanation": "A delighted customer who becomes an evangelist, returning and spreading the word, including through online reviews and social sharing.",
                "choices": [
                    {
                        "text": "A delighted customer who becomes an evangelist, returning and spreading the word online and in person",
                        "correct": True,
                    },
                    {
                        "text": "A satisfied customer who rates the visit 4 out of 5",
                        "correct": False,
                        "feedback": "Satisfied is only a C, and satisfied customers shop around.",
                    },
                    {
                        "text": "A customer with the most points on their card",
                        "correct": False,
                        "feedback": "Points are not loyalty.",
                    },
                    {
                        "text": "A customer who buys only during sales",
                        "correct": False,
                        "feedback": "That customer follows the price, not the relationship.",
                    },
                ],
            },
        ),
        # 5: hire people who care, empower them, treat them well
        (
            "true_false",
            {
                "prompt": "To build loyalty, staff should need a manager's approval before replacing a drink or waiving a small charge.",
                "points": "1",
                "explanation": "Loyalty becomes achievable when a business hires people who care, empowers them to delight customers on the spot, and treats them well.",
                "answer": False,
                "feedback_true": "Not so. Empowered staff can put things right on the spot, which is what customers remember.",
                "feedback_false": "Correct. Hire people who care, empower them, and treat them well.",
            },
        ),
        # ---- Section 6: service beyond the transaction ------------------------------------------
        # 6: a Random Act of Worth
        (
            "short_text",
            {
                "prompt": "What does the course call spending a day at a customer's place of business, helping however you can and expecting nothing in return?",
                "points": "1",
                "explanation": "A Random Act of Worth. People who try it often gain as much as they give.",
                "accepted": [
                    "random act of worth",
                    "a random act of worth",
                    "random acts of worth",
                    "the random act of worth",
                    "act of worth",
                ],
            },
        ),
        # 6: a Random Act of Worth expects nothing in return
        (
            "true_false",
            {
                "prompt": "A Random Act of Worth is a good opportunity to take orders for your products while you help at the customer's business.",
                "points": "1",
                "explanation": "It is not a sales visit: you help in any way you can and expect nothing in return.",
                "answer": False,
                "feedback_true": "Not so. Nothing is sold: the day is pure help, with nothing expected back.",
                "feedback_false": "Correct. A Random Act of Worth expects nothing in return, not even an order.",
            },
        ),
        # 6: consider all touchpoints, channels and markets
        (
            "matching",
            {
                "prompt": "Every touchpoint, channel and market is a chance to treat someone as a person. Match each example to the right term.",
                "points": "2",
                "explanation": "Touchpoints are the moments of contact (counter, phone, email, delivery); channels are the routes (in person, online, social media); markets are the groups you serve (locals, tourists, families, business travellers).",
                "pairs": [
                    {"prompt": "An order delivered to a customer's door", "answer": "Touchpoint"},
                    {"prompt": "Social media", "answer": "Channel"},
                    {"prompt": "Tourists visiting for the weekend", "answer": "Market"},
                ],
            },
        ),
        # 6: find out how each person wants to be treated
        (
            "single_choice",
            {
                "prompt": "One hotel regular always wants a room near the lift; another wants the quietest corner of the building. What does the course say you should do?",
                "points": "1",
                "explanation": "Find out how each person wants to be treated, build the relationship on that, and record it so the whole team knows.",
                "choices": [
                    {"text": "Find out how each person wants to be treated, record it, and act on it every time", "correct": True},
                    {
                        "text": "Give each the next available room, so nobody gets special treatment",
                        "correct": False,
                        "feedback": "That treats both as numbers rather than individuals.",
                    },
                    {
                        "text": "Offer both the same standard upgrade",
                        "correct": False,
                        "feedback": "An upgrade neither asked for ignores what each of them actually wants.",
                    },
                    {
                        "text": "Leave it to them to ask each time they book",
                        "correct": False,
                        "feedback": "Remembering preferences is what turns routine service into loyalty.",
                    },
                ],
            },
        ),
    ],
}

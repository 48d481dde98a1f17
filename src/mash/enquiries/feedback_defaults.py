"""The default words the referrer is told for each outcome of the threshold decision
(seeded by the data migration ``0011_default_feedback_templates``; a hub changes them in
the Django admin). Plain words, nothing from a partner agency: the practitioner edits
them before sending and may add only items an agency marked as ones the hub may pass on.
"""

from __future__ import annotations

DEFAULT_TEMPLATES: dict[str, str] = {
    "no_further_action": (
        "The hub has looked at your concern with the information the agencies involved "
        "hold. It has decided that no further action by children's social care is needed "
        "at this time. If anything changes, or you have a new concern, please contact the "
        "hub again straight away."
    ),
    "advice_and_information": (
        "The hub has given advice and information to help the family. Please keep "
        "supporting the child as you do now, and contact the hub again if you are worried."
    ),
    "early_help": (
        "The hub has decided that the family would benefit from early help. An early help "
        "worker will contact the family to offer support, and may ask you to take part."
    ),
    "child_in_need": (
        "The hub has decided that a social worker will carry out an assessment of the "
        "child's needs (Children Act 1989, section 17). The social worker may contact you."
    ),
    "strategy_discussion": (
        "The hub has arranged a strategy discussion with the agencies involved to decide "
        "whether enquiries are needed to keep the child safe (Children Act 1989, section "
        "47). A social worker may contact you for more information."
    ),
    "police_investigation": ("The police will look into the concern. An officer may contact you."),
    "referral": (
        "The hub has referred the family to another service that can help. That service "
        "will contact the family."
    ),
}

GREETING = "Dear $referrer_name,\n\nThank you for your referral to $hub (our reference $reference)."
SIGN_OFF = "If you have any questions, please contact the hub and quote our reference.\n\n$hub"

# The yearly follow-up (FollowUp, effect-measure values, narratives) arrives with its own issue.

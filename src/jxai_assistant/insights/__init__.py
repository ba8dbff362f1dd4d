"""What users ask: the private usage log, its masking and retention, and the operator's figures (page and
``jxai report``). Nothing here changes the live assistant: draft examples go to a review file in the data directory.
"""

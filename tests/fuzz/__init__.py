"""Bad input: property-based and fuzz tests over every way text gets into OneStop.

Site configurations, appointment and history imports, scanner input and every
`onestop` verb are fed garbage; each must answer with a clear message (the file,
line or field; usage for a misused command), exit 2 or raise a DomainError, never
show a traceback, and leave every table exactly as it was. `python -m
tests.fuzz.soak --minutes 10` runs the same properties with many more examples.
"""

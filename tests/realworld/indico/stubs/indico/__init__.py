"""Stand-ins for the parts of ``indico`` that its migrations import.

``PyIntEnum`` is a ``smallint`` column with a CHECK constraint listing the enum's
values (as Indico's own type adds when the column joins a table); ``UTCDateTime``
is a ``timestamp without time zone`` holding UTC; the enums carry Indico's members.
"""

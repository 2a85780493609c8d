"""Small XLSForms written the way ODK's XLSForm documentation writes them (pyxform's Markdown tables).

Each is one feature: the tests of forms/ compile them, and every one must survive the
`example` -> `validate` round trip (tests/forms/test_example.py).
"""

CHOICES_YES_NO = """| choices |
| | list_name | name | label |
| | yn | yes | Yes |
| | yn | no | No |
"""

METADATA = """| survey |
| | type | name | label |
| | start | start | |
| | end | end | |
| | today | today | |
| | deviceid | deviceid | |
| | phonenumber | phonenumber | |
| | email | email | |
| | username | username | |
| | simserial | simserial | |
| | subscriberid | subscriberid | |
| | start-geopoint | start_point | |
| | uri:deviceid | uri_device | |
| | text | name | Your name |
"""

ALIASES = """| survey |
| | type | name | label |
| | gps | location | Where are you? |
| | phone number | phone | Phone |
| | add text prompt | remarks | Remarks |
| | q int | people | How many people? |
| | add decimal prompt | area | Area |
| | location | spot | Spot |
| | imei | imei | |
| | get today | day | |
"""

SERVER_TYPES = """| survey |
| | type | name | label | parameters |
| | audio | voice | Record the answer | |
| | video | clip | Film the roof | |
| | barcode | code | Scan the code | |
| | geotrace | road | Walk the road | |
| | geoshape | plot | Walk around the plot | |
| | range | score | How bad is the roof? | start=0 end=10 step=2 |
| | osm | building | Trace the building | |
| | file | document | Attach the document | |
"""

SAME_NAME = """| survey |
| | type | name | label | relevant |
| | begin group | head | Household head | |
| | text | name | Name | |
| | text | phone | Phone | |
| | end group | | | |
| | begin group | contact | Contact person | |
| | text | name | Name | |
| | text | phone | Phone | |
| | text | note_text | Why this contact? | ${age} > 70 |
| | end group | | | |
| | integer | age | Age of the head | |
"""

LOOP = """| survey |
| | type | name | label |
| | begin loop over rooms | room | %(label)s |
| | integer | windows | Windows in the %(label)s |
| | text | damage | Damage in the %(label)s |
| | end loop | | |
| choices |
| | list_name | name | label |
| | rooms | bedroom | bedroom |
| | rooms | kitchen | kitchen |
"""

EMPTY_FILTER_COLUMN = """| survey |
| | type | name | label | choice_filter |
| | select_one province | province | Province | |
| | select_one district | district | District | province = ${province} |
| | select_one yn | ok | OK? | province = ${province} or province = '' |
| choices |
| | list_name | name | label | province |
| | province | qn | Quảng Nam | |
| | province | dn | Đà Nẵng | |
| | district | nt | Núi Thành | qn |
| | district | hc | Hải Châu | dn |
| | yn | yes | Yes | |
| | yn | no | No | |
"""

FORMS = {
    "metadata": METADATA,
    "aliases": ALIASES,
    "server_types": SERVER_TYPES,
    "same_name": SAME_NAME,
    "loop": LOOP,
    "empty_filter_column": EMPTY_FILTER_COLUMN,
}

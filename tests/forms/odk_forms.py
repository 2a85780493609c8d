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

# ---- forms with media files: (XLSForm, {file name: text}) -------------------------------------------
VILLAGES_CSV = """name,label,commune,households
2096801,Thôn 1,20968,120
2096802,Thôn 2,20968,95
2097001,Thôn Đông,20970,60
"""

FROM_FILE = """| survey |
| | type | name | label | choice_filter | calculation |
| | select_one communes | commune | Commune | | |
| | select_one_from_file villages.csv | village | Village | commune = ${commune} | |
| | select_multiple_from_file villages.csv | visited | Villages visited | | |
| | calculate | households | | | instance('villages')/root/item[name = ${village}]/households |
| | calculate | village_name | | | pulldata('villages', 'label', 'name', ${village}) |
| | note | summary | ${village_name} has ${households} households | | |
| choices |
| | list_name | name | label |
| | communes | 20968 | Tam Xuân I |
| | communes | 20970 | Tam Anh Bắc |
"""

PLOTS_GEOJSON = """{"type": "FeatureCollection", "features": [
 {"type": "Feature", "id": "p1", "geometry": {"type": "Point", "coordinates": [108.47, 15.57]},
  "properties": {"title": "Plot one", "owner": "An"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.48, 15.58]},
  "properties": {"id": "p2", "title": "Plot two", "owner": "Bình"}}
]}
"""

GEOJSON = """| survey |
| | type | name | label | calculation |
| | select_one_from_file plots.geojson | plot | Plot | |
| | calculate | owner | | instance('plots')/root/item[name = ${plot}]/owner |
"""

CSV_EXTERNAL = """| survey |
| | type | name | label | calculation |
| | csv-external | prices | | |
| | text | item | Item | |
| | calculate | price | | pulldata('prices', 'price', 'name', ${item}) |
| | integer | qty | How many? | |
| | calculate | total | | ${price} * ${qty} |
"""

PRICES_CSV = "name;price\ncement;90000\nsteel;20000\n"

EXTERNAL = """| survey |
| | type | name | label | choice_filter |
| | select_one provinces | province | Province | |
| | select_one_external districts | district | District | province=${province} |
| choices |
| | list_name | name | label |
| | provinces | qn | Quảng Nam |
| | provinces | dn | Đà Nẵng |
| external_choices |
| | list_name | name | label | province |
| | districts | nt | Núi Thành | qn |
| | districts | hc | Hải Châu | dn |
"""

MEDIA_FORMS = {
    "from_file": (FROM_FILE, {"villages.csv": VILLAGES_CSV}),
    "geojson": (GEOJSON, {"plots.geojson": PLOTS_GEOJSON}),
    "csv_external": (CSV_EXTERNAL, {"prices.csv": PRICES_CSV}),
    "external": (EXTERNAL, {}),
}


def write_with_media(folder, name, text, files):
    """The form as `<name>.md` and its media files in `<name>-media/` beside it (ODK Collect's layout)."""
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    if files:
        (folder / f"{name}-media").mkdir(exist_ok=True)
        for file, content in files.items():
            (folder / f"{name}-media" / file).write_text(content, encoding="utf-8")
    return path

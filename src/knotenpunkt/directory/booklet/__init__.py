"""The printed guide (Familienwegweiser auf Papier): a PDF booklet generated from the live data.

* :mod:`.selection` reads the public offers of an area (and its sub-areas, plus offers whose
  catchment covers it) into plain :class:`~.content.OfferEntry` records — a fixed number of
  queries, confidential addresses left out already there;
* :mod:`.content` arranges them, without the database, into a :class:`~.content.Booklet`:
  sections by life phase, groups by topic, cross-references and an index;
* :mod:`.rendering` turns a booklet into HTML (QR codes as inline SVG) and a PDF (WeasyPrint);
* :mod:`.services` records :class:`~knotenpunkt.directory.models.GuideEdition`\\ s and generates
  them, in the background with progress (:mod:`.tasks`).
"""

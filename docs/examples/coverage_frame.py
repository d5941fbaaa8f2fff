# %% [markdown]
# # Coverage as a pandas DataFrame
#
# A notebook in plain Python: each `# %%` is a cell (Jupyter, VS Code and PyCharm run
# them one by one), or run the whole file beside the Osen example:
#
#     interessent init osen-demo --example osen
#     python coverage_frame.py
#
# Needs pandas (`pip install pandas`, or `pip install 'interessent[docs]'`).

# %%
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from interessent import Workspace, measure_coverage, parse_period

WORKSPACE = Path("osen-demo")  # the folder with interessent.toml
PERIOD = parse_period("2026")
AS_OF = dt.date(2026, 11, 26)  # what was known on that day; dt.date.today() for now

# %% [markdown]
# One row per target group: how many members it has, how many were reached, how many of
# its opinion leaders were informed, and the coverage score. The commitments each group's
# strategy promises get a table of their own, one row per commitment.

# %%
with Workspace(WORKSPACE) as ws:
    results = measure_coverage(ws, PERIOD, as_of=AS_OF)

groups = pd.DataFrame.from_records(
    [
        {
            "key": g.key,
            "name": g.name,
            "members": g.members,
            "reached_directly": g.reached_directly,
            "reached_through_network": g.reached_through_network,
            "direct_reach": g.direct_reach,
            "network_reach": g.network_reach,
            "leaders": g.leaders,
            "leaders_informed": g.leaders_informed,
            "touchpoints": g.touchpoints,
            "score": g.score,
        }
        for g in results
    ],
    index="key",
)
seen = {c.id: c for g in results for c in g.commitments}
commitments = pd.DataFrame.from_records(
    [
        {"id": c.id, "title": c.title, "status": c.status.value, "expected": c.expected,
         "actual": c.actual, "logged": c.logged, "due": c.due}
        for c in seen.values()
    ],
    index="id",
)

# %% [markdown]
# The weakest groups first, and how the commitments stand.

# %%
print(groups.sort_values("score")[["name", "members", "reached_directly", "score"]])
print(commitments["status"].value_counts())

# %% [markdown]
# Broadcasts (articles, posts, web pages, newsletters) that addressed each group, by
# channel: a channel × group table, with 0 where a channel did not reach a group.

# %%
broadcasts = pd.DataFrame({g.key: pd.Series(dict(g.broadcasts), dtype="int64")
                           for g in results}).fillna(0).astype("int64")
print(broadcasts)

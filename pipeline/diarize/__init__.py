"""Speaker diarization stage: who said what, split at word level, with proposed roles.

See ``docs/diarization.md``. Entry points call, in order: :func:`plan_channels` (which channels
to transcribe), transcription per active track, :func:`merge_tracks`, :func:`diarize`, and
:func:`apply_role_overrides` for roles the gespreksduo confirmed.
"""

from pipeline.diarize.channels import ChannelOptions, ChannelPlan, Track, merge_tracks, plan_channels
from pipeline.diarize.roles import apply_role_overrides, parse_role_flags, propose_roles
from pipeline.diarize.stage import DiarizeOptions, diarize

__all__ = [
    "ChannelOptions",
    "ChannelPlan",
    "DiarizeOptions",
    "Track",
    "apply_role_overrides",
    "diarize",
    "merge_tracks",
    "parse_role_flags",
    "plan_channels",
    "propose_roles",
]

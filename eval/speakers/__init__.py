"""Speaker evaluation: diarization error rate and speaker-attributed WER (cpWER)."""

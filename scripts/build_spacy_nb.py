"""Builds the blank Norwegian (bokmål) spaCy pipeline that config.yml loads by path.

No pretrained Norwegian model can be installed from PyPI, so the pipeline has spaCy's
Norwegian tokenizer rules, stop words and lexical attributes, and no trained components.
Usage: python scripts/build_spacy_nb.py OUTPUT_DIR
"""
import sys
from pathlib import Path

import spacy


def build(output: Path) -> None:
    nlp = spacy.blank("nb")
    nlp.meta["name"] = "ia_assistent_nb_blank"
    nlp.meta["description"] = "Blank Norwegian bokmål pipeline for ia-assistent (tokenizer only)"
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(Path(sys.argv[1]))
    print(f"Built the blank Norwegian spaCy pipeline in {sys.argv[1]}")

"""What turns a user's messages and hand-added memories into their graph. `pipeline` is the one way
in (utterance, compute call, `Said` rows, write); `extract/` is the extractor, `understand` and
`compute` the model work and its process, `resolve`, `supersede`, `plan` and `writer` the write."""

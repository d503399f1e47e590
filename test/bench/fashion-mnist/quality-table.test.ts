import { markdownTable, qualityTable, type QualityColumn } from '../../../bench/fashion-mnist/quality-table';

const column = (top1: number): QualityColumn => ({
  top1,
  top3: 0.99,
  eceUncalibrated: 0.05,
  ece: 0.02,
  temperature: 1.234,
  trainImagesPerSecond: 1234.5,
  trainImages: 10000,
  testImages: 10000,
  epochs: 10,
  parameters: 225034,
});

describe('qualityTable', () => {
  it('puts kfp-ts, PyTorch and the published figure side by side', () => {
    const text = qualityTable({
      kfpTs: column(0.9012),
      kfpTsTitle: 'kfp-ts',
      pytorch: column(0.8991),
      pytorchTitle: 'PyTorch',
      published: { top1: 0.916, note: 'full set' },
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('|  | kfp-ts | PyTorch | published |');
    expect(lines[1]).toBe('| --- | ---: | ---: | ---: |');
    expect(lines).toContain('| top-1 (official test images) | 0.9012 | 0.8991 | 0.916 (full set) |');
    expect(lines).toContain('| train images/s | 1,235 | 1,235 |  |');
    expect(lines).toContain('| parameters | 225,034 | 225,034 |  |');
  });

  it('says why the PyTorch column is empty', () => {
    const text = qualityTable({ kfpTs: column(0.9), kfpTsTitle: 'kfp-ts', pytorch: 'torch is missing', pytorchTitle: 'PyTorch' });
    expect(text).toContain('| top-1 (official test images) | 0.9000 | – |');
    expect(text).toMatch(/PyTorch column not run: torch is missing$/);
  });
});

describe('markdownTable', () => {
  it('left-aligns the first column and right-aligns the rest', () => {
    expect(markdownTable(['a', 'b'], [['x', '1']])).toBe('| a | b |\n| --- | ---: |\n| x | 1 |');
  });
});

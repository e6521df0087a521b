import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findDemoFont } from '../../electron/backend/demo/demo-files.js';
import { makePdf, makePhoto } from '../../electron/backend/demo/synth.js';

const paragraph =
  '根据东西部扶贫协作工作安排，县人社局会同结对帮扶方组织开展劳务协作，围绕转移就业、技能培训、稳岗就业等重点任务，' +
  '建立健全劳务输出对接机制，切实提高组织化程度，确保建档立卡贫困劳动力稳定就业、持续增收。';

/**
 * The import benchmarks' inbox: multi-page Chinese PDFs (2–6 pages, 文号 and date) and 3000×2000 phone photos
 * with EXIF time and GPS — what a department sends, generated so every run sees the same bytes.
 */
export async function writeBenchCorpus(inbox: string, pdfs: number, photos: number): Promise<void> {
  const font = findDemoFont();
  for (let i = 0; i < pdfs; i++) {
    const pages = Array.from({ length: 2 + (i % 5) }, (_, p) => ({
      lines: [
        p === 0 ? `关于2019年东西部扶贫协作第${i + 1}项工作的报告` : `（第${p + 1}页）`,
        `青人社发〔2019〕${i + 1}号`,
        ...Array.from({ length: 12 }, () => paragraph),
        '青山县人力资源和社会保障局',
        `2019年${(i % 12) + 1}月${(i % 27) + 1}日`,
      ],
    }));
    writeFileSync(path.join(inbox, `报告_${String(i).padStart(3, '0')}.pdf`), await makePdf({ pages, font: font.bytes, fontName: font.fontName }));
  }
  for (let i = 0; i < photos; i++) {
    const photo = await makePhoto({
      width: 3000,
      height: 2000,
      seed: 1000 + i,
      quality: 90,
      takenAt: `2019-${String((i % 12) + 1).padStart(2, '0')}-15T10:${String(i % 60).padStart(2, '0')}:00`,
      gps: { lat: 26.5 + i / 1000, lon: 107.5 },
    });
    writeFileSync(path.join(inbox, `IMG_2019_${String(i).padStart(4, '0')}.jpg`), photo);
  }
}

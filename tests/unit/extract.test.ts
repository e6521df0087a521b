import { describe, expect, it } from 'vitest';
import { extractDocMeta, titleFromFileName } from '../../shared/extract/docmeta.js';
import { findDateInFileName, findDatesInText, parseChineseSmallNumber } from '../../shared/extract/dates.js';

const RED_HEADER = `中共南山县委办公室文件

南委办发〔2019〕12号

关于成立东西部扶贫协作工作领导小组的通知

各乡（镇）党委、人民政府，县直各部门：
为加强对东西部扶贫协作工作的组织领导，经县委、县政府研究，决定成立南山县东西部扶贫协作工作领导小组。
组  长：张建国  县委书记
副组长：李明华  县委副书记、县长

中共南山县委办公室
2019年3月15日

中共南山县委办公室                 2019年3月18日印发`;

describe('文号', () => {
  it('reads the number under the red header and keeps 〔〕', () => {
    expect(extractDocMeta(RED_HEADER, 'a.pdf').docNumber).toBe('南委办发〔2019〕12号');
  });

  it.each([
    ['环委办发〔2019〕12号', '环委办发〔2019〕12号'],
    ['津南政发[2019]12号', '津南政发〔2019〕12号'],
    ['津南政发【2019】12号', '津南政发〔2019〕12号'],
    ['津南政发(2019)12号', '津南政发〔2019〕12号'],
    ['津南政发（2019）12号', '津南政发〔2019〕12号'],
    ['津南政发 〔 2019 〕 12 号', '津南政发〔2019〕12号'],
    ['X县委组〔2019〕5号', 'X县委组〔2019〕5号'],
    ['南人社函〔２０２０〕０８号', '南人社函〔2020〕8号'],
    ['南政办发〔2019〕第7号', '南政办发〔2019〕7号'],
  ])('normalises %s', (written, expected) => {
    expect(extractDocMeta(`南山县人民政府办公室\n${written}\n关于印发工作要点的通知`, 'x.pdf').docNumber).toBe(expected);
  });

  it('ignores phone numbers, 第3号 alone and numbers cited in the body', () => {
    const text = `关于报送材料的通知\n各单位：\n请于3月20日前报送，联系电话：0851-86123456，13812345678。\n本通知为第3号。\n根据《关于印发考核办法的通知》（国开办发〔2017〕36号）要求，现通知如下。`;
    expect(extractDocMeta(text, '通知.docx').docNumber).toBeUndefined();
  });

  it('takes the number from the file name when the text has none', () => {
    expect(extractDocMeta('', '南组通〔2019〕21号关于选派干部挂职的通知.pdf').docNumber).toBe('南组通〔2019〕21号');
  });
});

describe('日期', () => {
  it('takes the 成文日期 below the issuer, not the 印发 date or body dates', () => {
    const meta = extractDocMeta(RED_HEADER, '关于成立领导小组的通知.pdf');
    expect(meta.date).toBe('2019-03-15');
    expect(meta.dateKind).toBe('issued');
    expect(meta.dateSource).toBe('text');
  });

  it.each([
    ['二〇一九年三月十五日', '2019-03-15'],
    ['二○一九年十二月三十一日', '2019-12-31'],
    ['二零二零年十一月二十一日', '2020-11-21'],
    ['二〇一九年十月十日', '2019-10-10'],
    ['2019年3月15日', '2019-03-15'],
    ['２０１９年３月１５日', '2019-03-15'],
    ['2019.3.15', '2019-03-15'],
    ['2019-03-15', '2019-03-15'],
    ['2019/3/15', '2019-03-15'],
  ])('reads %s', (written, iso) => {
    const meta = extractDocMeta(`关于开展消费扶贫月活动的通知\n各单位：\n现将有关事项通知如下。\n南山县商务局\n${written}`, 'x.pdf');
    expect(meta.date).toBe(iso);
  });

  it('rejects days that do not exist', () => {
    expect(findDatesInText('2019年2月29日 2019年4月31日 2019年13月1日')).toEqual([]);
    expect(findDatesInText('2020年2月29日')[0].iso).toBe('2020-02-29');
    expect(findDateInFileName('IMG_20190230_101010.jpg')).toBeUndefined();
  });

  it('uses the meeting date of minutes', () => {
    const text = `南山县东西部扶贫协作工作领导小组\n2019年第3次会议纪要\n时间：2019年5月8日上午9:00\n地点：县委常委会议室\n主持：张建国\n会议研究了2019年6月底前完成的事项。\n县协作办\n2019年5月10日`;
    const meta = extractDocMeta(text, '第3次领导小组会议纪要.pdf');
    expect(meta.date).toBe('2019-05-08');
    expect(meta.dateKind).toBe('meeting');
  });

  it('reads "会议时间：" and Chinese-numeral meeting dates', () => {
    expect(extractDocMeta('会议纪要\n会议时间：二〇一九年六月二十日下午\n会议地点：县政府第一会议室', 'x.docx').date).toBe('2019-06-20');
  });

  it('does not turn 第3次会议, 第三季度, 3号楼 or 2019年度 into a date, and gives a bare month month precision', () => {
    const text = '第3次会议\n2019年度第三季度工作安排\n地点：行政中心3号楼';
    const meta = extractDocMeta(text, '第3次领导小组会议纪要.pdf');
    expect(meta.date).toBeUndefined();
    expect(meta.dateSource).toBeUndefined();
    // "2019年3月" is not a day: the record says March 2019, not an invented 1 March.
    expect(extractDocMeta(`${text}\n2019年3月`, '第3次领导小组会议纪要.pdf').date).toBe('2019-03');
  });

  it('reads dates from file names, but not sequence numbers', () => {
    expect(findDateInFileName('IMG_20190612_093512.jpg')).toBe('2019-06-12');
    expect(findDateInFileName('微信图片_20190708.jpg')).toBe('2019-07-08');
    expect(findDateInFileName('微信图片_20190708153012.jpg')).toBe('2019-07-08');
    expect(findDateInFileName('2019.3.15领导小组会议.pdf')).toBe('2019-03-15');
    expect(findDateInFileName('2019年3月15日签到表.pdf')).toBe('2019-03-15');
    expect(findDateInFileName('第3次领导小组会议纪要.pdf')).toBeUndefined();
    expect(findDateInFileName('5月份领导小组会议纪要.docx')).toBeUndefined();
    expect(findDateInFileName('扫描件001.pdf')).toBeUndefined();
    expect(findDateInFileName('2019年转移就业台账(截至11月).xlsx')).toBeUndefined();
  });

  it('falls back to the file name date when the text has none', () => {
    const meta = extractDocMeta('', 'IMG_20190612_093512.jpg');
    expect(meta).toMatchObject({ date: '2019-06-12', dateSource: 'filename', dateKind: 'other' });
  });

  it('prefers the event date of a photo caption', () => {
    const meta = extractDocMeta('事由：东部挂职干部到扶贫车间调研\n拍摄时间：2019年7月8日\n地点：南山县福兴扶贫车间\n摄影：王磊', '微信图片_20190710.jpg');
    expect(meta).toMatchObject({ date: '2019-07-08', dateSource: 'text' });
  });

  it('parses Chinese day and month numerals', () => {
    expect([parseChineseSmallNumber('十'), parseChineseSmallNumber('十一'), parseChineseSmallNumber('二十一'), parseChineseSmallNumber('三十')]).toEqual([10, 11, 21, 30]);
    expect(parseChineseSmallNumber('第三')).toBeNaN();
  });
});

describe('责任者', () => {
  it('strips 文件 from the red header', () => {
    expect(extractDocMeta(RED_HEADER, 'a.pdf').issuer).toBe('中共南山县委办公室');
    expect(extractDocMeta('南山县人民政府文件\n南政发〔2019〕3号\n关于印发优惠政策的通知', 'a.pdf').issuer).toBe('南山县人民政府');
  });

  it('reads the signature line before the date', () => {
    const text = '关于2019年转移就业工作情况的报告\n县协作办：\n今年以来，我局共帮助转移就业1287人。\n南山县人力资源和社会保障局\n2019年11月30日';
    expect(extractDocMeta(text, '报告.docx').issuer).toBe('南山县人力资源和社会保障局');
  });

  it('reads a bureau named at the end when no date follows', () => {
    const text = '项目验收意见\n经现场查看，项目已按计划完成建设。\n南山县财政局';
    expect(extractDocMeta(text, '验收.pdf').issuer).toBe('南山县财政局');
  });
});

describe('题名', () => {
  it('joins a 关于 title wrapped over two lines', () => {
    const text = '南山县人民政府办公室\n南政办发〔2019〕8号\n关于印发南山县东西部扶贫协作\n资金项目管理办法的通知\n各乡镇人民政府：';
    expect(extractDocMeta(text, 'x.pdf').title).toBe('关于印发南山县东西部扶贫协作资金项目管理办法的通知');
  });

  it('finds titles that do not start with 关于', () => {
    expect(extractDocMeta('南山县—天津市津南区\n劳务协作框架协议\n甲方：天津市津南区人力资源和社会保障局', 'x.pdf').title).toBe('劳务协作框架协议');
    expect(extractDocMeta(RED_HEADER, 'x.pdf').title).toBe('关于成立东西部扶贫协作工作领导小组的通知');
  });

  it('falls back to the first substantial line', () => {
    expect(extractDocMeta('各位领导：\n津南区援建的福兴扶贫车间正式投产，吸纳贫困劳动力32人。后续还将扩大规模。', 'x.docx').title).toBe(
      '津南区援建的福兴扶贫车间正式投产，吸纳贫困劳动力32人',
    );
  });

  it('falls back to the file name without numbering and date prefixes', () => {
    expect(extractDocMeta('', '01-关于选派干部挂职的通知.pdf').title).toBe('关于选派干部挂职的通知');
    expect(titleFromFileName('（3）2019.3.15 领导小组会议纪要.docx')).toBe('领导小组会议纪要');
    expect(titleFromFileName('20190315_签到表.pdf')).toBe('签到表');
    expect(titleFromFileName('2019年转移就业台账(截至11月).xlsx')).toBe('2019年转移就业台账(截至11月)');
    expect(titleFromFileName('IMG_20190612_093512.jpg')).toBe('IMG_20190612_093512');
  });

  it('takes the merged title cell of a table, never a header or a record row (an ID number is no title)', () => {
    const record = '1,张三,522799199001011234,东部,13800001111';
    expect(extractDocMeta(`序号,姓名,身份证号,就业地区,电话\n${record}`, '转移就业名册.csv').title).toBe('转移就业名册');
    expect(extractDocMeta(`${record}\n2,李四,522799199202021234,省内,13900002222`, 'a.csv').title).toBe('a');
    expect(extractDocMeta(`2019年转移就业台账,,,,\n填报单位：县人社局,,,,\n序号,姓名,身份证号,就业地区,电话\n${record}`, 'b.csv').title).toBe('2019年转移就业台账');
    expect(extractDocMeta('序号\t姓名\t身份证号\n1\t张三\t522799199001011234', '名册.txt').title).toBe('名册');
    expect(extractDocMeta('张三 522799199001011234 东部务工', '务工人员.txt').title).toBe('务工人员');
  });

  it('cuts titles to 80 characters', () => {
    const long = `关于${'东西部扶贫协作'.repeat(15)}的通知`;
    expect(extractDocMeta(long, 'x.pdf').title).toHaveLength(80);
  });
});

describe('titles wrapped over several lines', () => {
  it('joins a heading that a PDF wrapped at the line end', () => {
    const minutes = ['东海市滨江区—青山县东西部扶贫协作高层联', '席会议纪要', '时间：2019年6月12日上午', '地点：青山县人民政府第一会议室'].join('\n');
    expect(extractDocMeta(minutes, 'x.pdf').title).toBe('东海市滨江区—青山县东西部扶贫协作高层联席会议纪要');
    const news = ['东海市滨江区党政代表团来我县考察对接东西', '部扶贫协作工作', '来源：青山县融媒体中心', '', '2019年6月11日至12日，代表团来我县考察。'].join('\n');
    expect(extractDocMeta(news, 'x.pdf').title).toBe('东海市滨江区党政代表团来我县考察对接东西部扶贫协作工作');
  });

  it('does not swallow the first body line into a short heading', () => {
    const text = ['工作方案', '为深入推进东西部扶贫协作工作，结合我县实际，制定本方案。'].join('\n');
    expect(extractDocMeta(text, 'x.docx').title).toBe('工作方案');
  });
});

describe('成文日期 among distractors (real documents put other dates near the top)', () => {
  it('skips a statistics period, 截至 dates, a legislative history and a print date', () => {
    const text = `青山县2023年度转移就业情况报告
（统计时段：2023年1月1日至2023年12月31日）
截至2023年12月31日，全县累计转移就业12345人，其中到帮扶城市就业3456人。
根据《中华人民共和国就业促进法》（2007年8月30日第十届全国人民代表大会常务委员会第二十九次会议通过　根据2015年4月24日第十二届全国人民代表大会常务委员会第十四次会议修正），现将有关情况报告如下。
一、总体情况
2023.1.1-2023.12.31期间，共组织专场招聘会28场。
青山县人力资源和社会保障局
2024年1月15日
打印日期：2024年3月2日`;
    expect(extractDocMeta(text, '报告.pdf')).toMatchObject({ date: '2024-01-15', dateKind: 'issued', issuer: '青山县人力资源和社会保障局' });
    // Without the signature date nothing left in it is the document's date: the file name's date is used, not 截至.
    const unsigned = text.split('\n').filter((l) => !/^2024年1月15日$/.test(l)).join('\n');
    expect(extractDocMeta(unsigned, '报告.pdf').date).toBeUndefined();
  });

  it('skips the publication and filing lines of a web page printout', () => {
    const text = `首页 > 政务公开 > 通知公告
关于公布2023年度东西部协作消费帮扶产品名录的通知
发布时间：2024-02-20 10:31 来源：青山县商务局 浏览次数：152
各乡镇人民政府，县直有关部门：
现将名录予以公布，有效期自2024年3月1日起施行。
青山县商务局
2024年2月19日
主办：青山县人民政府 黔ICP备12345678号 黔公网安备52010202000123号 网站标识码5201000001
下载时间：2024/06/03`;
    expect(extractDocMeta(text, 'web.pdf').date).toBe('2024-02-19');
  });

  it('records a cover dated by month only with month precision', () => {
    const cover = `青山县2024年东西部协作工作总结
青山县东西部协作工作领导小组办公室
2024年12月`;
    expect(extractDocMeta(cover, '总结.pdf')).toMatchObject({ date: '2024-12', dateSource: 'text' });
    expect(extractDocMeta('青山县工作总结\n青山县人民政府\n二〇二四年十二月', '封面.pdf').date).toBe('2024-12');
    // "12月份", "4月底前" are not dates of the document.
    expect(extractDocMeta('2024年12月份工作安排\n请于2024年4月底前报送。', 'a.pdf').date).toBeUndefined();
  });

  it('takes the header date of 纪要, not a deadline in the body', () => {
    const text = `青山县东西部协作工作领导小组
2024年第3次会议纪要
2024年3月8日
会议要求，各成员单位于2024年4月底前完成项目申报，5月10日前报送进展。
2024年3月20日
青山县东西部协作工作领导小组办公室　　2024年3月10日印发`;
    expect(extractDocMeta(text, '纪要.pdf')).toMatchObject({ date: '2024-03-08', dateKind: 'meeting' });
  });
});

describe('题名 from the title block', () => {
  it('keeps the issuing body that opens the title, joined over its wrapped lines', () => {
    const text = `国家安全监管总局关于印发《企业安全生产
标准化基本规范》的通知
安监总办〔2010〕139号
各省、自治区、直辖市及新疆生产建设兵团安全生产监督管理局：
现将《企业安全生产标准化基本规范》印发给你们，请遵照执行。
国家安全生产监督管理总局
二〇一〇年六月七日`;
    expect(extractDocMeta(text, 'x.pdf')).toMatchObject({ title: '国家安全监管总局关于印发《企业安全生产标准化基本规范》的通知', docNumber: '安监总办〔2010〕139号', date: '2010-06-07' });
  });

  it('prefers the title over a table header or a body line', () => {
    const ledger = `序号 姓名 性别 身份证号 务工地点 月收入
2019年青山县转移就业人员台账
1 张三 男 520123199001011234 宁波 4500`;
    expect(extractDocMeta(ledger, 'a.xlsx').title).toBe('2019年青山县转移就业人员台账');
    const web = `首页 > 政务公开 > 通知公告
关于公布2023年度东西部协作消费帮扶产品名录的通知
发布时间：2024-02-20 来源：青山县商务局`;
    expect(extractDocMeta(web, 'b.pdf').title).toBe('关于公布2023年度东西部协作消费帮扶产品名录的通知');
  });
});

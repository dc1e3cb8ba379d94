/**
 * A reports folder with one report in each format (a two-page PDF, a web page with menus and
 * comments, a DOCX, Markdown with front matter, text with a sidecar), each with a question only it
 * answers and the title, date, link and page or paragraph its source line must show.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeDocx, makeHtml, makePdf } from './report-fixtures';

export interface MixedReport {
  file: string;
  question: string;
  /** Words of the answering sentence. */
  fact: string;
  title: string;
  date: string;
  /** Date as the source line shows it. */
  shownDate: string;
  url: string | null;
  /** PDF page of the answer, else null. */
  page: number | null;
  /** Paragraph (¶) of the answer in the extracted text, for reports without pages. */
  paragraph: number | null;
}

/** Filler sentences that make every paragraph a passage of its own (40+ words). */
const pad = (topic: string): string =>
  `Officials described the ${topic} situation as tense but under control, and local volunteers kept delivering water, ` +
  `generators and medicine to the families who decided to stay despite the daily warnings from the regional administration.`;

export const MIXED: Record<'pdf' | 'html' | 'docx' | 'markdown' | 'text', MixedReport> = {
  pdf: {
    file: 'isw-pokrovsk.pdf',
    question: 'How many kilometres of trench lines did engineers finish near Myrnohrad?',
    fact: 'Ukrainian engineers finished 14 kilometres of new trench lines west of Pokrovsk near Myrnohrad',
    title: 'Pokrovsk axis assessment',
    date: '2024-08-20',
    shownDate: '20 Aug 2024',
    url: null,
    page: 2,
    paragraph: null,
  },
  html: {
    file: 'kharkiv-glide-bombs.html',
    question: 'How many guided aerial bombs fell on the Kharkiv suburbs?',
    fact: 'Russian aircraft dropped 31 guided aerial bombs on the Kharkiv suburbs overnight',
    title: 'Glide bombs hit Kharkiv again',
    date: '2024-08-22',
    shownDate: '22 Aug 2024',
    url: 'https://news.example.org/world/kharkiv-glide-bombs',
    page: null,
    paragraph: 2,
  },
  docx: {
    file: 'odesa-port.docx',
    question: 'How many bulk carriers did the Chornomorsk grain terminals load?',
    fact: 'The grain terminals in Chornomorsk loaded 9 bulk carriers with wheat and corn this week',
    title: 'Odesa port operations',
    date: '2024-08-15',
    shownDate: '15 Aug 2024',
    url: null,
    page: null,
    paragraph: 3,
  },
  markdown: {
    file: 'sumy-drones.md',
    question: 'How many electrical substations did drones damage in Sumy oblast?',
    fact: 'Shahed drones damaged 5 electrical substations in Sumy oblast on Sunday night',
    title: 'Drone strikes on Sumy oblast',
    date: '2024-08-18',
    shownDate: '18 Aug 2024',
    url: 'https://example.org/sumy-drones',
    page: null,
    paragraph: 3,
  },
  text: {
    file: '007.txt',
    question: 'How many pontoon bridges did sappers build across the Dnipro near Kherson?',
    fact: 'Russian sappers built 12 pontoon bridges across the Dnipro channels near Kherson',
    title: 'Kherson river crossings weekly',
    date: '2024-08-19',
    shownDate: '19 Aug 2024',
    url: 'https://example.org/kherson-crossings',
    page: null,
    paragraph: 3,
  },
};

/** Writes the five reports (and the text report's sidecar) into `dir`. */
export async function writeMixedReports(dir: string): Promise<void> {
  const { pdf, html, docx, markdown, text } = MIXED;
  await writeFile(
    path.join(dir, pdf.file),
    await makePdf({
      title: pdf.title,
      author: 'ISW analysts',
      created: new Date(`${pdf.date}T12:00:00Z`),
      pages: [
        [
          `Russian forces continued assaults toward Pokrovsk from Novohrodivka and Hrodivka. ${pad('Pokrovsk')}`,
          `Artillery duels intensified around Selydove as both sides brought in reserves. ${pad('Selydove')}`,
        ],
        [
          `${pdf.fact}, according to the regional military administration. ${pad('Myrnohrad')}`,
          `Evacuation trains left Pokrovsk station twice a day for Pavlohrad and Dnipro. ${pad('evacuation')}`,
        ],
      ],
    }),
  );
  await writeFile(
    path.join(dir, html.file),
    makeHtml({
      title: html.title,
      date: html.date,
      url: html.url!,
      paragraphs: [
        `Air raid sirens sounded across Kharkiv for most of the night as the air force tracked aircraft near Belgorod. ${pad('Kharkiv')}`,
        `${html.fact}, the regional governor said in the morning. ${pad('suburban')}`,
        `Repair crews restored power to the Saltivka district by noon, the city council reported. ${pad('Saltivka')}`,
      ],
    }),
  );
  await writeFile(
    path.join(dir, docx.file),
    await makeDocx({
      title: docx.title,
      creator: 'Port authority press office',
      created: `${docx.date}T09:00:00Z`,
      paragraphs: [
        '# Weekly port bulletin',
        `Ship traffic through the Black Sea corridor stayed steady despite mine warnings near Snake Island. ${pad('corridor')}`,
        `${docx.fact}, the port authority said. ${pad('Chornomorsk')}`,
        `Insurers kept war-risk premiums unchanged for vessels calling at Pivdennyi and Izmail. ${pad('Izmail')}`,
      ],
    }),
  );
  await writeFile(
    path.join(dir, markdown.file),
    [
      '---',
      `title: ${markdown.title}`,
      `date: ${markdown.date}`,
      `url: ${markdown.url}`,
      'author: Sumy regional desk',
      '---',
      '# Sumy overnight',
      '',
      `Air defence units shot down most of the drones over Shostka and Konotop districts. ${pad('Shostka')}`,
      '',
      `${markdown.fact}, leaving villages without electricity. ${pad('Sumy')}`,
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, text.file),
    [
      'Weekly notes from the southern front',
      '',
      `Ukrainian marines held their positions on the left bank near Krynky despite constant shelling. ${pad('Krynky')}`,
      '',
      `${text.fact}, satellite images show. ${pad('Kherson')}`,
      '',
    ].join('\n'),
  );
  await writeFile(path.join(dir, `${text.file}.meta.json`), JSON.stringify({ title: text.title, date: text.date, url: text.url }));
}

/** The `media` section of docs/benchmarks.md, from `npm run bench:media`'s report. */
export interface MediaReport {
  bench: 'media';
  date: string;
  image: {
    width: number | undefined;
    height: number | undefined;
    bytes: number;
    runs: number;
    ingestMs: number;
    sharpAloneMs: number;
    thumbnailOnlyMs: number;
    ratio: number;
    pairedRatioMedian: number;
  };
  video: {
    bytes: number;
    durationSeconds: number | undefined;
    codec: string | undefined;
    resolution: string;
    keyframes: number;
    ingestMs: number;
    rssStartMiB: number;
    peakRssMiB: number;
    vmHwmMiB: number;
  };
  targets: { imageRatioAtMost1_5: boolean; videoPeakRssAtMost150MiB: boolean };
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    sharp: string;
    libvips: string;
    loadAvg1m: { start: number; end: number };
  };
}

const f = (n: number | undefined, digits = 1) => (n === undefined ? '?' : n.toFixed(digits));
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

export function renderMediaSection(r: MediaReport): string {
  const { image: i, video: v, machine: m } = r;
  return `## Media ingest

\`npm run bench:media\` makes a ${i.width}×${i.height} JPEG (${f(i.bytes / 1e6)} MB, gaussian noise over a
gradient, with EXIF) with sharp, and a ${f(v.bytes / 1e6)} MB video (ffmpeg testsrc2, ${v.codec}, ${v.resolution},
${f(v.durationSeconds, 0)} s) with ffmpeg, both cached in \`.cache/bench-media\`. Flags: \`--runs N\`,
\`--video-mb N\`, \`--quick\` (smoke run; leaves this file alone), \`--no-docs\`.

- Run: ${r.date}; ${i.runs} timed runs per side after one warm-up, interleaved, alternating who goes first
- Machine: ${m.cpus} × ${m.cpuModel}, Node ${m.node}, sharp ${m.sharp} (libvips ${m.libvips}); 1-minute load
  average ${f(m.loadAvg1m.start, 2)} at the start, ${f(m.loadAvg1m.end, 2)} at the end

| image (median ms) | ms |
| --- | ---: |
| ingest: stream to temp file (sniff, cap, SHA-256), header check, sanitize + thumbnail, store to fs | ${f(i.ingestMs)} |
| the same sharp work alone, on the bytes in memory | ${f(i.sharpAloneMs)} |
| ratio ingest / sharp alone (of the medians) | ${f(i.ratio, 2)}× |
| ratio, median of the back-to-back pairs | ${f(i.pairedRatioMedian, 2)}× |
| for scale: a WebP thumbnail alone (shrink-on-load, no full decode) | ${f(i.thumbnailOnlyMs)} |

| video | |
| --- | ---: |
| ingest time (spool, ffprobe, ${v.keyframes} keyframes + poster, store) | ${f(v.ingestMs / 1000, 1)} s |
| RSS of the ingesting process before it started | ${f(v.rssStartMiB)} MiB |
| peak RSS while ingesting (sampled every 10 ms) | ${f(v.peakRssMiB)} MiB |
| VmHWM of the process over its whole life | ${f(v.vmHwmMiB)} MiB |

Targets: image ratio ≤ 1.5 (the paired median) ${met(r.targets.imageRatioAtMost1_5)}; peak RSS ≤ 150 MiB for the video
${met(r.targets.videoPeakRssAtMost150MiB)}.

Notes:
- "The same sharp work" is what \`processImage\` does for a JPEG: a header read, then a full re-encode
  (auto-orient, metadata dropped, quality 90) and a 320 px WebP thumbnail in parallel. The ratio is what
  the ingest adds around it: the streamed copy to a temp file with type sniffing and hashing, reading the
  file back, and the atomic store (temp file + rename, metadata file) of the image and its thumbnail.
  Each run stores into a new chat, so content addressing never skips the write.
- On a small shared machine the timings move a lot from run to run; the paired median (each ingest
  against the sharp-alone run beside it) is the figure to read. Measured phase by phase on the same
  machine, the ingest's own work is about 20 ms for the spool and 15–30 ms for the two stores.
- The video runs in a child process (\`node --import tsx\`), so its RSS is the ingest's alone; ffprobe and
  ffmpeg run as their own processes and are not counted. The download is streamed to disk and the store
  streams it from there, so memory stays flat whatever the video's size; the keyframes (WebP) stay in
  memory for OCR.
`;
}

export { renderText, textChunks, textLines, type TextOptions } from './text.js';
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { jsonChunks, renderJson } from './json.js';
export type { RenderOptions } from './describe.js';
export { formatBytes, formatDuration } from './format.js';

/**
 * What the model reads of a tool's result: text content as is, joined by blank lines; images,
 * audio and binary resources as a one-line description (a model cannot read base64, and it would
 * eat the context); structured content as JSON when the tool gave nothing else.
 */

type ContentBlock = { type: string; [field: string]: unknown };

export interface ToolResultLike {
  content?: unknown;
  structuredContent?: unknown;
  /** Servers on the 2024-10-07 protocol answer `{ toolResult }` instead. */
  toolResult?: unknown;
}

export function toolResultText(result: ToolResultLike): string {
  const blocks = Array.isArray(result.content) ? (result.content as ContentBlock[]) : [];
  if (blocks.length === 0) {
    if (result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
    if (result.toolResult !== undefined)
      return typeof result.toolResult === 'string' ? result.toolResult : JSON.stringify(result.toolResult);
    return '';
  }
  return blocks.map(describeBlock).join('\n\n');
}

function describeBlock(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return String(block.text ?? '');
    case 'image':
    case 'audio':
      return `[${block.type}: ${String(block.mimeType ?? 'unknown type')}, ${sizeOfBase64(block.data)}]`;
    case 'resource_link':
      return `[resource link: ${String(block.uri ?? '')}${block.mimeType ? ` (${String(block.mimeType)})` : ''}${
        block.description ? ` — ${String(block.description)}` : ''
      }]`;
    case 'resource': {
      const resource = (block.resource ?? {}) as { uri?: unknown; mimeType?: unknown; text?: unknown; blob?: unknown };
      const label = `${String(resource.uri ?? '')}${resource.mimeType ? ` (${String(resource.mimeType)})` : ''}`;
      if (typeof resource.text === 'string') return `[resource: ${label}]\n${resource.text}`;
      return `[resource: ${label}, ${sizeOfBase64(resource.blob)}]`;
    }
    default:
      return `[${block.type} content]`;
  }
}

function sizeOfBase64(data: unknown): string {
  if (typeof data !== 'string') return 'no data';
  const bytes = Math.floor((data.replace(/=+$/, '').length * 3) / 4);
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} kB`;
}

/**
 * What tells the charts' series apart without colour (WCAG 1.4.1): each bar series has its own
 * fill pattern (solid, stripes, dots) and each line its own dash and marker; the key shows the
 * same pattern beside a word. The patterns live in one hidden SVG: `url(#id)` reaches them from
 * every chart and every key on the page.
 */
export type Fill = "solid" | "stripes" | "dots";

export interface SeriesStyle {
  key: string;
  label: string;
  color: string;
  fill?: Fill;
  dash?: string;
  marker?: "circle" | "square";
}

export const patternId = (prefix: string, key: string) => `${prefix}-pattern-${key}`;

function Pattern({ id, color, fill }: { id: string; color: string; fill: Fill }) {
  return (
    <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" fill={color} opacity={fill === "solid" ? 1 : 0.22} />
      {fill === "stripes" ? <line x1="1.5" y1="0" x2="1.5" y2="6" stroke={color} strokeWidth="3" /> : null}
      {fill === "dots" ? <circle cx="3" cy="3" r="1.7" fill={color} /> : null}
    </pattern>
  );
}

export function PatternDefs({ prefix, series }: { prefix: string; series: readonly SeriesStyle[] }) {
  return (
    <svg width="0" height="0" className="absolute" aria-hidden="true" focusable="false">
      <defs>
        {series
          .filter((s) => s.fill)
          .map((s) => (
            <Pattern key={s.key} id={patternId(prefix, s.key)} color={s.color} fill={s.fill ?? "solid"} />
          ))}
      </defs>
    </svg>
  );
}

function Swatch({ prefix, style }: { prefix: string; style: SeriesStyle }) {
  if (style.fill) {
    return (
      <svg width="14" height="14" aria-hidden="true" focusable="false">
        <rect
          x="0.5"
          y="0.5"
          width="13"
          height="13"
          fill={`url(#${patternId(prefix, style.key)})`}
          stroke={style.color}
        />
      </svg>
    );
  }
  return (
    <svg width="24" height="14" aria-hidden="true" focusable="false">
      <line x1="1" y1="7" x2="23" y2="7" stroke={style.color} strokeWidth="2" strokeDasharray={style.dash} />
      {style.marker === "square" ? (
        <rect x="9" y="4" width="6" height="6" fill={style.color} />
      ) : (
        <circle cx="12" cy="7" r="3" fill={style.color} />
      )}
    </svg>
  );
}

/** The chart's key: a list of words, each with its series' pattern or line. */
export function ChartKey({ prefix, series }: { prefix: string; series: readonly SeriesStyle[] }) {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-700" aria-label="Key">
      {series.map((s) => (
        <li key={s.key} className="flex items-center gap-1">
          <Swatch prefix={prefix} style={s} />
          {s.label}
        </li>
      ))}
    </ul>
  );
}

import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'preact/hooks';

/**
 * An Observable Plot chart in a figure: the SVG is labelled (`aria-label` = the title, `aria-description` = what
 * it shows in words) and the figure's caption says the numbers are in the table that follows.
 */
export function Chart(props: {
  readonly title: string;
  /** The chart's text alternative: what it shows, in a sentence. */
  readonly summary: string;
  readonly options: Plot.PlotOptions;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const chart = Plot.plot({
      ...props.options,
      ariaLabel: props.title,
      ariaDescription: props.summary,
      style: { fontSize: '12px', overflow: 'visible' },
      width: Math.max(300, Math.min(element.clientWidth || 640, 900)),
    });
    chart.setAttribute('role', 'img');
    element.replaceChildren(chart);
    return () => element.replaceChildren();
  }, [props.options, props.title, props.summary]);
  return (
    <figure class="chart">
      <figcaption>
        <strong>{props.title}</strong> <span class="summary">{props.summary}</span>
      </figcaption>
      <div ref={host} class="chart-host" data-chart={props.title} />
    </figure>
  );
}

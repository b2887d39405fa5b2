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
    // With a legend Plot answers a <figure> holding the legend and the chart's <svg>; the svg is the image.
    const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector(':scope > svg');
    if (svg) {
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', props.title);
      // The marks' own labels ("bar", "rule") are not for a screen reader, and ARIA forbids them on role-less
      // children of an image: the image's label and description say what the chart shows.
      for (const labelled of svg.querySelectorAll('[aria-label]')) labelled.removeAttribute('aria-label');
    }
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

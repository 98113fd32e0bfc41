import type { SVGProps } from 'react';

/** The few icons the app uses (inline SVG, so nothing is fetched); decorative unless labelled. */
function Icon({ children, ...props }: SVGProps<SVGSVGElement>) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export const TrashIcon = () => (
  <Icon>
    <path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6" />
  </Icon>
);

export const ArchiveIcon = () => (
  <Icon>
    <path d="M3 4h18v4H3zM5 8v12h14V8M10 12h4" />
  </Icon>
);

export const CloseIcon = () => (
  <Icon>
    <path d="M18 6 6 18M6 6l12 12" />
  </Icon>
);

export const AlertIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="10" />
    <path d="M12 8v4M12 16h.01" />
  </Icon>
);

export const CloudOffIcon = () => (
  <Icon width="18" height="18">
    <path d="M2 2l20 20M5.8 5.8A7 7 0 0 0 6.5 19H17a4.5 4.5 0 0 0 3.3-1.4M9.5 5.2A7 7 0 0 1 17.7 10h.3a4.5 4.5 0 0 1 3.7 7" />
  </Icon>
);

export const RefreshIcon = () => (
  <Icon width="14" height="14">
    <path d="M21 12a9 9 0 1 1-2.6-6.4M21 3v6h-6" />
  </Icon>
);

/** The product's mark: two arrows that meet (local and server in sync). */
export const BrandMark = () => (
  <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
    <rect width="32" height="32" rx="8" fill="var(--accent)" />
    <path
      d="M9 13h12l-3.5-3.5M23 19H11l3.5 3.5"
      fill="none"
      stroke="var(--accent-text)"
      strokeWidth="2.4"
      strokeLinecap="round"
      strokeLinejoin="round"
    />
  </svg>
);

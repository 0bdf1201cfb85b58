export { default as AppShell } from './AppShell.svelte';
export { default as NavBar, type NavBarProps, type ShellUser } from './NavBar.svelte';
export { default as ThemeToggle } from './ThemeToggle.svelte';
export { default as Toaster } from './Toaster.svelte';
export { default as RiskBadge } from './RiskBadge.svelte';
export { default as SeverityBadge } from './SeverityBadge.svelte';
export { default as ConnectionIndicator } from './ConnectionIndicator.svelte';
export { theme, applyTheme, isWallPath, type Theme } from './theme.svelte';
export { toast } from 'svelte-sonner';

// Shop-local time (Europe/Paris, 'YYYY-MM-DD HH:MM:SS'), optionally shifted so that a replay of
// recorded transcripts sees the dates of the recording.
const fmt = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

export function formatShopDate(d: Date): string {
  return fmt.format(d).replace('T', ' ');
}

export class ShopClock {
  private readonly offsetMs: number;
  constructor(start?: Date) {
    this.offsetMs = start ? start.getTime() - Date.now() : 0;
  }
  date(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  now(shiftMs = 0): string {
    return formatShopDate(new Date(Date.now() + this.offsetMs + shiftMs));
  }
}

//! Calendar dates as the garden keeps them: a day, no time zone.
//!
//! Documents store dates as ISO text (`2026-05-14`): readable by any
//! automerge program and sorted correctly as plain strings. The shell
//! passes in "today" as the member's own calendar sees it.

use std::fmt;

/// A day in the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

impl Date {
    /// The date `days` after 1970-01-01.
    pub const fn from_days(days: i64) -> Self {
        Self { days }
    }

    pub const fn days(self) -> i64 {
        self.days
    }

    /// The calendar day of a moment, `offset_minutes` east of UTC.
    pub const fn from_unix_ms(ms: i64, offset_minutes: i64) -> Self {
        Self::from_days((ms + offset_minutes * 60_000).div_euclid(86_400_000))
    }

    /// The date of a year, month (1–12) and day (1–31); `None` if there is
    /// no such day.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Self::from_days(era * 146_097 + doe - 719_468))
    }

    /// Year, month and day.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "month and day are 1–31"
    )]
    pub const fn ymd(self) -> (i64, u32, u32) {
        // Howard Hinnant's civil_from_days.
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
        (year, month, day)
    }

    pub const fn year(self) -> i64 {
        self.ymd().0
    }

    #[must_use]
    pub const fn add_days(self, days: i64) -> Self {
        Self::from_days(self.days + days)
    }

    /// Reads `YYYY-MM-DD`, as an `<input type="date">` gives it.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
            return None;
        }
        Self::from_ymd(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_iso_days() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2026-11-22",
            "2100-12-31",
            "1969-12-31",
        ] {
            assert_eq!(Date::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
        assert_eq!(Date::parse("2026-11-22").unwrap().days(), 20_779);
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "tomorrow",
            "",
            "2026-00-10",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_day_round_trips() {
        for days in -800_000..800_000 {
            let date = Date::from_days(days);
            let (y, m, d) = date.ymd();
            assert_eq!(Date::from_ymd(y, m, d), Some(date));
        }
    }

    #[test]
    fn a_moment_falls_on_the_members_own_day() {
        // 2026-11-22 03:00 UTC is still the 21st in Chicago (UTC-6).
        let ms = Date::parse("2026-11-22").unwrap().days() * 86_400_000 + 3 * 3_600_000;
        assert_eq!(Date::from_unix_ms(ms, 0).to_string(), "2026-11-22");
        assert_eq!(Date::from_unix_ms(ms, -360).to_string(), "2026-11-21");
    }
}

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

namespace brieflow::sandbox {

/**
 * "2024-04-22T11:15:01.04Z": UTC with up to nine fractional digits and trailing zeros dropped,
 * like Go's RFC3339Nano, which is why Replicate's created_at values vary in length.
 */
QString formatTimestampNano(qint64 epochNs);

/** "2023-11-16T11:46:16.539915Z": UTC with exactly six fractional digits. */
QString formatTimestampMicro(qint64 epochNs);

/** "2022-01-21 23:18:24.530357+00:00": the form a list cursor carries. */
QString formatCursorTimestamp(qint64 epochNs);

/**
 * Nanoseconds since the epoch for an ISO-8601 date-time with 0–9 fractional digits and "Z" or a
 * "+hh:mm" offset ("T" or a space between date and time); a date alone means its midnight UTC.
 */
std::optional<qint64> parseTimestampNs(const QString &text);

/**
 * A Cancel-After value in milliseconds: "30s", "5m", "1h30m45s", or a bare number of seconds.
 * std::nullopt when it does not parse; the 5-second minimum is the caller's check.
 */
std::optional<qint64> parseCancelAfterMs(const QString &text);

/**
 * The seconds asked for by a Prefer header ("wait" = 60, "wait=N" with N in 1–60), or
 * std::nullopt when the header holds no valid wait preference (which the server then ignores).
 */
std::optional<int> parsePreferWait(const QByteArray &header);

/**
 * A GET /v1/predictions cursor as Django REST framework writes it: base64 of the query string
 * "p=<url-encoded cursor timestamp>", with "r=1&" in front for the previous page.
 */
QString encodeListCursor(qint64 positionNs, bool reverse);

/** The position (ns) and direction of a cursor made by encodeListCursor(). */
struct ListCursor {
    qint64 positionNs = 0;
    bool reverse = false;
};
std::optional<ListCursor> decodeListCursor(const QString &cursor);

} // namespace brieflow::sandbox

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

// How the Monitoring view writes its figures (shared by the panel, its charts and tables).

namespace brieflow::ui::monitorformat {

inline QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("brieflow::ui::MonitorPanel", text, nullptr, n);
}

/** "850 ms", "4.1 s", "2 min 5 s", "1 h 3 min"; "—" for no samples. */
inline QString duration(qint64 ms, bool hasSamples = true)
{
    if (!hasSamples)
        return QStringLiteral("—");
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return tr("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 1);
    const qint64 s = (ms + 500) / 1000;
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

/** @p one when n is 1, else @p many with %1 = n (no "(s)" plurals without translations). */
inline QString count(qint64 n, const char *one, const char *many)
{
    return n == 1 ? tr(one) : tr(many).arg(n);
}

/** "75%" (whole percent), or "—" when there is nothing to divide. */
inline QString percent(std::optional<double> fraction)
{
    if (!fraction)
        return QStringLiteral("—");
    return tr("%1%").arg(*fraction * 100.0, 0, 'f', 0);
}

/** A time in the user's zone: "14:05" today, "3 Mar 14:05" otherwise. */
inline QString when(const QDateTime &utc)
{
    if (!utc.isValid())
        return QStringLiteral("—");
    const QDateTime local = utc.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm"));
    return local.toString(QStringLiteral("d MMM HH:mm"));
}

/** How long ago: "for 4 min", "for 2 h 10 min". */
inline QString since(const QDateTime &utc, const QDateTime &now)
{
    if (!utc.isValid())
        return QStringLiteral("—");
    return duration(std::max<qint64>(0, utc.msecsTo(now)));
}

/** "owner/name:version" → "name" (the short name for chart labels). */
inline QString shortModel(const QString &model)
{
    if (model.isEmpty())
        return tr("no model");
    QString m = model.section(QLatin1Char(':'), 0, 0);
    return m.section(QLatin1Char('/'), -1);
}

} // namespace brieflow::ui::monitorformat

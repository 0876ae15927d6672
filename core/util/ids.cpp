// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ids.h"

#include <mutex>

#include <QRandomGenerator>
#include <QRegularExpression>

namespace brieflow {

namespace {

std::mutex s_mutex;
qint64 s_lastMs = -1;
quint16 s_counter = 0; // 12 bits used

} // namespace

QString newSortableId()
{
    qint64 ms = QDateTime::currentMSecsSinceEpoch();
    quint16 counter = 0;
    {
        const std::lock_guard lock(s_mutex);
        if (ms <= s_lastMs) {
            // Same millisecond (or the clock stepped back): keep ordering with the counter and,
            // when it runs out, borrow the next millisecond.
            ms = s_lastMs;
            if (++s_counter > 0x0fff) {
                ++ms;
                s_counter = 0;
            }
        } else {
            s_counter = static_cast<quint16>(QRandomGenerator::global()->bounded(0x0200));
        }
        s_lastMs = ms;
        counter = s_counter;
    }

    quint8 bytes[16];
    const auto t = static_cast<quint64>(ms);
    for (int i = 0; i < 6; ++i)
        bytes[i] = static_cast<quint8>(t >> (8 * (5 - i)));
    bytes[6] = static_cast<quint8>(0x70 | ((counter >> 8) & 0x0f));
    bytes[7] = static_cast<quint8>(counter & 0xff);
    quint32 random[2];
    QRandomGenerator::system()->fillRange(random);
    for (int i = 0; i < 8; ++i)
        bytes[8 + i] = static_cast<quint8>(random[i / 4] >> (8 * (i % 4)));
    bytes[8] = static_cast<quint8>(0x80 | (bytes[8] & 0x3f));

    static constexpr char hex[] = "0123456789abcdef";
    QString out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out += QLatin1Char('-');
        out += QLatin1Char(hex[bytes[i] >> 4]);
        out += QLatin1Char(hex[bytes[i] & 0x0f]);
    }
    return out;
}

bool isSortableId(const QString &id)
{
    static const QRegularExpression re(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    return re.match(id).hasMatch();
}

QDateTime sortableIdTimestamp(const QString &id)
{
    if (!isSortableId(id))
        return {};
    QString hexMs = id.left(8) + id.mid(9, 4);
    bool ok = false;
    const qint64 ms = hexMs.toLongLong(&ok, 16);
    return ok ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

} // namespace brieflow

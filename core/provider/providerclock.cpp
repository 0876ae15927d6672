// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "providerclock.h"

#include <QTimer>

namespace brieflow {

ProviderClock::~ProviderClock() = default;

QDateTime SystemClock::nowUtc() const
{
    return QDateTime::currentDateTimeUtc();
}

void SystemClock::schedule(std::chrono::milliseconds delay, QObject *context,
                           std::function<void()> action)
{
    QTimer::singleShot(delay, Qt::PreciseTimer, context, std::move(action));
}

SystemClock *SystemClock::instance()
{
    static SystemClock clock;
    return &clock;
}

} // namespace brieflow

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings.h"

#include <cmath>

#include <QCoreApplication>

namespace brieflow {

Settings::Settings(const QString &iniPath)
    : m_settings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{}

bool Settings::sync()
{
    m_settings->sync();
    return m_settings->status() == QSettings::NoError;
}

PriceTable modelPrices(const Settings &settings, QString *problem)
{
    if (problem)
        problem->clear();
    const QByteArray json = settings.value(Settings::ModelPrices).trimmed();
    if (json.isEmpty())
        return PriceTable::defaults();
    QString error;
    if (auto table = PriceTable::fromJson(json, &error))
        return *table;
    if (problem) {
        *problem = QCoreApplication::translate("brieflow::Settings",
                                               "The price table in the settings can't be read "
                                               "(%1); the default prices are used instead.")
                       .arg(error);
    }
    return PriceTable::defaults();
}

double dailyBudgetUsd(const Settings &settings)
{
    const double budget = settings.value(Settings::DailyBudgetUsd);
    return std::isfinite(budget) && budget > 0 ? budget : 0;
}

} // namespace brieflow

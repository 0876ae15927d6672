// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "paths.h"

#include <QDir>
#include <QStandardPaths>

namespace brieflow {

namespace {

QString standardLocation(QStandardPaths::StandardLocation type)
{
    // The generic locations with our folder name appended: the same answer whatever
    // organisation/application names main() set, so the CLI, the GUI and tests agree.
    QString path = QStandardPaths::writableLocation(type) + QStringLiteral("/Brieflow");
#ifndef NDEBUG
    path += QStringLiteral("-debug");
#endif
    return QDir::cleanPath(path);
}

QString withDemo(const QString &base, bool demo)
{
    return demo ? base + QStringLiteral("/demo") : base;
}

} // namespace

Paths Paths::resolve(const Options &options)
{
    Paths paths;
    paths.m_demo = options.demo;

    QString root = options.dataDirOverride;
    if (root.isEmpty() && options.useEnvironment)
        root = qEnvironmentVariable(dataDirEnvironmentVariable);

    if (!root.isEmpty()) {
        root = withDemo(QDir::cleanPath(QDir(root).absolutePath()), options.demo);
        paths.m_overridden = true;
        paths.m_data = root;
        paths.m_config = root + QStringLiteral("/config");
        paths.m_cache = root + QStringLiteral("/cache");
        paths.m_logs = root + QStringLiteral("/logs");
        return paths;
    }

    paths.m_data = withDemo(standardLocation(QStandardPaths::GenericDataLocation), options.demo);
    paths.m_config =
        withDemo(standardLocation(QStandardPaths::GenericConfigLocation), options.demo);
    paths.m_cache = withDemo(standardLocation(QStandardPaths::GenericCacheLocation), options.demo);
    paths.m_logs = paths.m_data + QStringLiteral("/logs");
    return paths;
}

QString Paths::location(Location where) const
{
    switch (where) {
    case Location::Config:
        return m_config;
    case Location::Data:
        return m_data;
    case Location::Cache:
        return m_cache;
    case Location::Logs:
        return m_logs;
    }
    Q_UNREACHABLE();
    return {};
}

QString Paths::databaseFile() const
{
    return m_data + QStringLiteral("/brieflow.sqlite3");
}

QString Paths::settingsFile() const
{
    return m_config + QStringLiteral("/brieflow.ini");
}

QString Paths::outputsDir() const
{
    return m_data + QStringLiteral("/outputs");
}

QString Paths::ensureExists() const
{
    for (const QString &dir : {m_config, m_data, m_cache, m_logs, outputsDir()}) {
        if (!QDir().mkpath(dir))
            return dir;
    }
    return {};
}

} // namespace brieflow

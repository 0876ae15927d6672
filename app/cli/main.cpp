// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCoreApplication>

#include "app/cli/cli.h"
#include "core/version.h"

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("brieflow-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Brieflow"));
    QCoreApplication::setApplicationVersion(brieflow::applicationVersion());
    return brieflow::cli::run(QCoreApplication::arguments());
}

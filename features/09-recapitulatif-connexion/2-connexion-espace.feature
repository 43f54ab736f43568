# language: fr
Fonctionnalité: ⑨ Se connecter, faire une demande de prestation et suivre ses démarches
  « Je rentre mes identifiants de connexion (mon numéro de sécurité sociale ou mon identifiant
  provisoire et mon mot de passe). Je peux maintenant faire une demande une prestation et
  suivre mes démarches. »

  Règle: On se connecte avec son numéro de sécurité sociale ou son identifiant provisoire, et son mot de passe

    @CNX-NIR @etape_9
    Scénario: Connexion avec le numéro de sécurité sociale
      Étant donné une personne qui a déjà son compte
      Quand elle se connecte avec son numéro de sécurité sociale et son mot de passe
      Alors la connexion est acceptée
      Et son espace lui propose au moins une action

    @CNX-ID-PROVISOIRE @etape_9
    Scénario: Connexion avec l'identifiant provisoire
      Étant donné une personne sans numéro de sécurité sociale qui a créé son compte
      Quand elle se connecte avec son identifiant provisoire et son mot de passe
      Alors la connexion est acceptée
      Et son espace lui propose au moins une action

    @CNX-MDP @etape_9
    Plan du scénario: Un mot de passe faux est refusé
      Étant donné une personne qui a créé son compte avec le mot de passe « Soleil2024Mer »
      Quand elle se connecte avec son numéro de sécurité sociale et le mot de passe « <mot de passe> »
      Alors la connexion est refusée

      Exemples:
        | mot de passe   | cas                       |
        | Soleil2025Mer  | un chiffre de différence  |
        | soleil2024Mer  | la majuscule oubliée      |
        | Soleil2024Me   | la dernière lettre oubliée |

    @CNX-MDP @CNX-ID-PROVISOIRE @etape_9
    Scénario: Un mot de passe faux est refusé aussi avec l'identifiant provisoire
      Étant donné une personne sans numéro de sécurité sociale qui a créé son compte
      Quand elle se connecte avec son identifiant provisoire et le mot de passe « Abcdefg9 »
      Alors la connexion est refusée

  Règle: Une fois connecté, on peut faire une demande de prestation et la suivre

    @ESPACE-DEMANDE @ESPACE-SUIVI @etape_9
    Plan du scénario: La demande de prestation faite apparaît dans « Suivre mes démarches »
      Étant donné une personne qui s'est connectée à son espace
      Quand elle fait une demande de « <prestation> »
      Alors la demande est enregistrée
      Et « Suivre mes démarches » montre la demande de « <prestation> » avec son statut

      Exemples:
        | prestation                            |
        | Prime d'activité                      |
        | Aide personnalisée au logement (APL)  |

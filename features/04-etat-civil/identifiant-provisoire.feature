# language: fr
Fonctionnalité: ④ Sans numéro de sécurité sociale, un identifiant provisoire
  « Si ne possède pas de numéro de sécurité sociale, un identifiant provisoire me sera fourni. »
  (⑨ « Je rentre mes identifiants de connexion (mon numéro de sécurité sociale ou mon
  identifiant provisoire et mon mot de passe). »)

  Règle: Qui n'a pas de numéro de sécurité sociale reçoit un identifiant provisoire

    @ID-PROVISOIRE @etape_4
    Plan du scénario: Un identifiant provisoire est fourni à qui déclare ne pas avoir de numéro
      Étant donné une personne née <naissance>, sans numéro de sécurité sociale, à l'étape « état civil »
      Quand elle renseigne son état civil en cochant « Je n'ai pas de numéro de sécurité sociale »
      Alors la saisie est acceptée
      Et un identifiant provisoire lui est fourni : la lettre « P » suivie de 9 chiffres
      Et le parcours passe à l'étape « pièce d'identité »

      Exemples:
        | naissance   |
        | à l'étranger |
        | en métropole |

    @ID-PROVISOIRE @etape_4
    Scénario: Chaque personne reçoit son propre identifiant provisoire
      Étant donné deux personnes sans numéro de sécurité sociale
      Quand chacune renseigne son état civil en cochant « Je n'ai pas de numéro de sécurité sociale »
      Alors leurs identifiants provisoires sont différents
